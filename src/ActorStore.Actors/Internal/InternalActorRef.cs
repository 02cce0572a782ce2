namespace ActorStore.Actors;

/// <summary>Common base of the runtime's refs: adds system messages, death watch and stopping to <see cref="IActorRef"/>.</summary>
internal abstract class InternalActorRef : IActorRef
{
    public abstract ActorPath Path { get; }

    /// <summary>The owning system; null for refs that belong to none (Nobody).</summary>
    public abstract ActorSystem? System { get; }

    public abstract void Tell(object message, IActorRef? sender = null);

    public virtual void SendSystemMessage(SystemMessage message)
    {
    }

    /// <summary>Registers <paramref name="watcher"/>; false when this ref is already dead (the caller then notifies itself).</summary>
    public abstract bool AddWatcher(ActorCell watcher);

    public abstract void RemoveWatcher(ActorCell watcher);

    public virtual void Stop()
    {
    }

    public override string ToString() => Path.ToString();
}
