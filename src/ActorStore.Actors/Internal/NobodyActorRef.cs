namespace ActorStore.Actors;

/// <summary>Black hole ref: drops messages, counts as already dead.</summary>
internal sealed class NobodyActorRef : InternalActorRef
{
    private static readonly ActorPath NobodyPath = ActorPath.CreateRoot("nobody");

    public override ActorPath Path => NobodyPath;

    public override ActorSystem? System => null;

    public override void Tell(object message, IActorRef? sender = null)
    {
    }

    public override bool AddWatcher(ActorCell watcher) => false;

    public override void RemoveWatcher(ActorCell watcher)
    {
    }
}
