namespace ActorStore.Raft;

/// <summary>Volatile facts worth reporting when they change; never needs to be persisted.</summary>
public sealed record SoftState(ulong Lead, RaftRole Role);
