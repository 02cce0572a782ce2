namespace ActorStore.Actors.Hocon;

/// <summary>A HOCON document or a lookup in it is wrong: bad syntax, an unresolved substitution, a missing key, a wrong type.</summary>
public class HoconException : Exception
{
    public HoconException(string message)
        : base(message)
    {
    }

    public HoconException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
