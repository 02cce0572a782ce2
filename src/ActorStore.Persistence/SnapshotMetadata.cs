namespace ActorStore.Persistence;

/// <summary>Identifies a snapshot: the state of a persistence id up to and including a sequence number.</summary>
public sealed record SnapshotMetadata(string PersistenceId, long SequenceNr, DateTimeOffset Timestamp);
