namespace ActorStore.Robustness.History;

/// <summary>The whole keyspace at one revision, sorted by key: the ground truth the checkers judge by.</summary>
public sealed record StateRecord(long Revision, IReadOnlyList<KeyValueRecord> Kvs);
