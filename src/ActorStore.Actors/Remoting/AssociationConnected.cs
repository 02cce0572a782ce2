namespace ActorStore.Actors.Remoting;

/// <summary>
/// Published on the <see cref="ActorSystem.EventStream"/> when the outbound association to <paramref name="Address"/>
/// (host:port) has completed its handshake and can carry messages.
/// </summary>
public sealed record AssociationConnected(string Address);
