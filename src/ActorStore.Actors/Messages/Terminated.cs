namespace ActorStore.Actors;

/// <summary>Delivered to every watcher once the watched actor has stopped (or at once if it was already dead).</summary>
public sealed record Terminated(IActorRef ActorRef);
