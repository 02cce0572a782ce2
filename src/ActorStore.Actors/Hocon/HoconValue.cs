namespace ActorStore.Actors.Hocon;

/// <summary>
/// A node of a HOCON document. After resolution a tree holds only <see cref="HoconObject"/>,
/// <see cref="HoconArray"/> and <see cref="HoconScalar"/> nodes.
/// </summary>
public abstract class HoconValue
{
    private protected HoconValue(HoconPosition position) => Position = position;

    /// <summary>Where the value was written; <see cref="HoconPosition.None"/> for values made in code.</summary>
    public HoconPosition Position { get; }

    /// <summary>False while the node (or a node under it) still holds a substitution.</summary>
    public abstract bool IsResolved { get; }

    /// <summary>A word for error messages: "object", "list", "string", "number", ...</summary>
    internal abstract string TypeName { get; }
}
