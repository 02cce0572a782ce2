namespace ActorStore.Mvcc;

/// <summary>The result of <see cref="MvccStore.HashKV"/>: etcd's checksum of the key history and the revisions it covers.</summary>
public readonly record struct HashKVResult(uint Hash, long CompactRevision, long CurrentRevision);
