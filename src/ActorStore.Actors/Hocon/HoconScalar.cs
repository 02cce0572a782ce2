namespace ActorStore.Actors.Hocon;

/// <summary>A string, number, boolean or null, kept as the text the document spelled.</summary>
public sealed class HoconScalar : HoconValue
{
    public HoconScalar(string text, HoconScalarKind kind, HoconPosition position = default)
        : base(position)
    {
        Text = text;
        Kind = kind;
    }

    public string Text { get; }

    public HoconScalarKind Kind { get; }

    public override bool IsResolved => true;

    internal override string TypeName => Kind switch
    {
        HoconScalarKind.Number => "number",
        HoconScalarKind.Boolean => "boolean",
        HoconScalarKind.Null => "null",
        _ => "string",
    };

    public override string ToString() => Text;
}
