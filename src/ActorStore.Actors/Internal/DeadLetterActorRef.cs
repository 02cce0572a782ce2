namespace ActorStore.Actors;

/// <summary>/deadLetters: whatever arrives is published as a <see cref="DeadLetter"/>.</summary>
internal sealed class DeadLetterActorRef(ActorSystem system, ActorPath path) : InternalActorRef
{
    public override ActorPath Path { get; } = path;

    public override ActorSystem System { get; } = system;

    public override void Tell(object message, IActorRef? sender = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        System.PublishDeadLetter(message, sender, this);
    }

    public override bool AddWatcher(ActorCell watcher) => false;

    public override void RemoveWatcher(ActorCell watcher)
    {
    }
}
