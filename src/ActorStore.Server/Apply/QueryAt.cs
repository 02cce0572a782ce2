namespace ActorStore.Server.Apply;

/// <summary>A linearizable read: served once the applied index reaches the confirmed read index.</summary>
public sealed record QueryAt(ulong ReadIndex, Query Query);
