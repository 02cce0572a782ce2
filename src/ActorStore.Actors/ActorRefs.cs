namespace ActorStore.Actors;

public static class ActorRefs
{
    /// <summary>Explicit "no sender": replies to it end up in dead letters.</summary>
    public static readonly IActorRef? NoSender = null;

    /// <summary>A ref that discards everything sent to it; watching it yields <see cref="Terminated"/> at once.</summary>
    public static IActorRef Nobody { get; } = new NobodyActorRef();
}
