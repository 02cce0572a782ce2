namespace ActorStore.Actors.Hocon;

/// <summary>A syntax or resolution error at a known line and column.</summary>
public sealed class HoconParseException : HoconException
{
    public HoconParseException(string reason, HoconPosition position)
        : base($"{position}: {reason}")
    {
        Reason = reason;
        Position = position;
    }

    /// <summary>The message without the position prefix.</summary>
    public string Reason { get; }

    public HoconPosition Position { get; }

    public int Line => Position.Line;

    public int Column => Position.Column;
}
