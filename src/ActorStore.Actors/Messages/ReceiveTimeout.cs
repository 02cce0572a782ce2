namespace ActorStore.Actors;

/// <summary>Sent to an actor that set a receive timeout and got no message for that long.</summary>
public sealed record ReceiveTimeout
{
    private ReceiveTimeout()
    {
    }

    public static ReceiveTimeout Instance { get; } = new();
}
