using Microsoft.Extensions.Logging;

namespace ActorStore.Actors;

/// <summary>
/// An actor's view of itself and its surroundings. Use it only from the actor's own handlers and hooks
/// (it is not available in the actor's constructor: do such work in PreStart).
/// </summary>
public interface IActorContext
{
    IActorRef Self { get; }

    /// <summary>Sender of the message being handled; dead letters when there was none.</summary>
    IActorRef Sender { get; }

    /// <summary>The supervisor; <see cref="ActorRefs.Nobody"/> for the user guardian.</summary>
    IActorRef Parent { get; }

    ActorSystem System { get; }

    /// <summary>Logger whose category is the actor's type.</summary>
    ILogger Log { get; }

    /// <summary>The children that are not being stopped.</summary>
    IReadOnlyList<IActorRef> Children { get; }

    TimeSpan? ReceiveTimeout { get; }

    IActorRef ActorOf(Props props, string? name = null);

    /// <summary>The live child with that name, or null.</summary>
    IActorRef? Child(string name);

    /// <summary>Stops a child, this actor itself, or any other local actor; asynchronous.</summary>
    void Stop(IActorRef actor);

    /// <summary>Asks for a <see cref="Terminated"/> message when <paramref name="subject"/> stops (at once if it already has).</summary>
    IActorRef Watch(IActorRef subject);

    IActorRef Unwatch(IActorRef subject);

    /// <summary>
    /// After <paramref name="timeout"/> without any message, the actor receives <see cref="Actors.ReceiveTimeout"/>
    /// (repeatedly while it stays idle). Null turns it off.
    /// </summary>
    void SetReceiveTimeout(TimeSpan? timeout);
}
