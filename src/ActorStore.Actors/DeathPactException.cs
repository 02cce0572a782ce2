namespace ActorStore.Actors;

/// <summary>An actor watched another one and did not handle its <see cref="Terminated"/> message.</summary>
public sealed class DeathPactException(IActorRef deadActor)
    : Exception($"Watched actor {deadActor.Path} terminated and the watcher did not handle the Terminated message.")
{
    public IActorRef DeadActor { get; } = deadActor;
}
