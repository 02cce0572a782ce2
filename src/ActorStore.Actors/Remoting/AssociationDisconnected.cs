namespace ActorStore.Actors.Remoting;

/// <summary>
/// Published on the <see cref="ActorSystem.EventStream"/> when the outbound association to <paramref name="Address"/>
/// lost its connection, or its first connection attempt failed. Published once per change of state, not per retry;
/// messages sent meanwhile wait in the bounded queue until a reconnect succeeds.
/// </summary>
public sealed record AssociationDisconnected(string Address);
