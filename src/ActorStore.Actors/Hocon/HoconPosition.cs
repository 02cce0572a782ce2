namespace ActorStore.Actors.Hocon;

/// <summary>A place in a HOCON source, used to point error messages at the text a user wrote.</summary>
public readonly record struct HoconPosition(string? Origin, int Line, int Column)
{
    public static HoconPosition None => default;

    public override string ToString()
    {
        if (Line == 0)
        {
            return Origin ?? "<unknown>";
        }

        return $"{Origin ?? "<string>"}:{Line}:{Column}";
    }
}
