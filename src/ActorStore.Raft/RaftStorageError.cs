namespace ActorStore.Raft;

/// <summary>Why a log storage could not answer.</summary>
public enum RaftStorageError
{
    /// <summary>The requested index lies before the first retained entry.</summary>
    Compacted = 0,
    /// <summary>The requested index lies after the last entry.</summary>
    Unavailable = 1,
    /// <summary>A snapshot is being produced; the caller should try again later.</summary>
    SnapshotTemporarilyUnavailable = 2,
    /// <summary>A snapshot older than the one already held was offered.</summary>
    SnapshotOutOfDate = 3,
}
