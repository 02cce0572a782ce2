namespace ActorStore.Server.Corruption;

/// <summary>This member's keyspace hash at its current revision, with the compaction it was taken under.</summary>
public sealed record LocalHash(uint Hash, long Revision, long CompactRevision);
