namespace ActorStore.Actors;

/// <summary>Creating an actor (its constructor, PreStart or PostRestart) threw; by default the actor is stopped.</summary>
public sealed class ActorInitializationException(IActorRef? actor, string message, Exception? innerException)
    : Exception(message, innerException)
{
    public IActorRef? Actor { get; } = actor;
}
