namespace ActorStore.Actors;

/// <summary>Stops the receiver once it reaches this message; messages queued before it are handled first.</summary>
public sealed record PoisonPill
{
    private PoisonPill()
    {
    }

    public static PoisonPill Instance { get; } = new();
}
