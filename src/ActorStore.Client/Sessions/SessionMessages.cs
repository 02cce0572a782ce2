using Akka.Actor;

namespace ActorStore.Client.Sessions;

/// <summary>Client actor -> watch relays: the session watches are opened on now.</summary>
internal sealed record SessionAvailable(IActorRef Session);

/// <summary>Watch relay -> client actor: the relay needs a session (it starts, or its member watch was lost).</summary>
internal sealed record SessionWanted
{
    public static SessionWanted Instance { get; } = new();
}
