namespace ActorStore.Server.Apply;

/// <summary>A keyspace snapshot at <paramref name="Index"/> is durable: the journal before it may be compacted.</summary>
public sealed record SnapshotSaved(long Index);
