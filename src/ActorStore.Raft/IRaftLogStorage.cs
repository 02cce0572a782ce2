using Raftpb;

namespace ActorStore.Raft;

/// <summary>
/// Read access to the persisted part of a member's Raft log. The core only reads; the owner (the shell)
/// writes what each <see cref="Ready"/> asks for and compacts, keeping this view in step with its journal.
/// Indexes between <see cref="FirstIndex"/> and <see cref="LastIndex"/> must be available; the entry just
/// before <see cref="FirstIndex"/> (the compaction point) must still answer <see cref="Term"/>.
/// </summary>
public interface IRaftLogStorage
{
    /// <summary>Term, vote and commit last persisted, and the membership of the latest snapshot.</summary>
    RaftInitialState InitialState();

    /// <summary>
    /// Entries [low, high), stopping early once their encoded size exceeds <paramref name="maxSize"/>
    /// (at least one entry is always returned). Throws <see cref="RaftStorageException"/> with
    /// <see cref="RaftStorageError.Compacted"/> when <paramref name="low"/> was compacted away.
    /// </summary>
    IReadOnlyList<Entry> Entries(ulong low, ulong high, ulong maxSize);

    /// <summary>Term of the entry at <paramref name="index"/>, for index in [FirstIndex-1, LastIndex].</summary>
    ulong Term(ulong index);

    /// <summary>Index of the first entry still held (the compaction point plus one).</summary>
    ulong FirstIndex();

    /// <summary>Index of the last entry held (the compaction point when no entries follow it).</summary>
    ulong LastIndex();

    /// <summary>The most recent snapshot; may throw <see cref="RaftStorageError.SnapshotTemporarilyUnavailable"/>.</summary>
    Snapshot Snapshot();
}
