namespace ActorStore.Actors;

/// <summary>
/// A handle to an actor. Refs compare by identity: a new actor created at the same path is a different ref.
/// </summary>
public interface IActorRef
{
    ActorPath Path { get; }

    /// <summary>Enqueues <paramref name="message"/> without waiting; the sender (if any) becomes the receiver's <c>Sender</c>.</summary>
    void Tell(object message, IActorRef? sender = null);
}
