using Google.Protobuf;
using Raftpb;

namespace ActorStore.Raft;

/// <summary>
/// An in-memory <see cref="IRaftLogStorage"/>. The shell mirrors its durable journal into it: it appends the
/// entries and sets the hard state of every <see cref="Ready"/> once they are durable, installs received snapshots,
/// and compacts after taking snapshots of its own. Thread-safe, so a transport may read a snapshot concurrently.
/// </summary>
public sealed class MemoryRaftLogStorage : IRaftLogStorage
{
    private readonly Lock _gate = new();

    // Entries after the compaction point; _entries[0] has index _compactedIndex + 1.
    private readonly List<Entry> _entries = [];
    private ulong _compactedIndex;
    private ulong _compactedTerm;
    private HardState _hardState = new();
    private Snapshot _snapshot = EmptySnapshot();

    /// <summary>
    /// Storage for a founding member of a new group: the initial membership is recorded as a snapshot at index 1,
    /// term 1 (with empty data), and the hard state says term 1, commit 1. Because every log then starts after
    /// index 1, a member that joins later always receives a snapshot first and so learns the full membership.
    /// A journal-backed shell bootstraps the same way: persist that snapshot and hard state before starting.
    /// Members joining an existing group start from an empty storage instead.
    /// </summary>
    public static MemoryRaftLogStorage CreateBootstrapped(ConfState membership)
    {
        ArgumentNullException.ThrowIfNull(membership);
        var storage = new MemoryRaftLogStorage();
        storage.ApplySnapshot(new Snapshot
        {
            Data = ByteString.Empty,
            Metadata = new SnapshotMetadata { Index = 1, Term = 1, ConfState = membership.Clone() },
        });
        storage.SetHardState(new HardState { Term = 1, Commit = 1 });
        return storage;
    }

    public RaftInitialState InitialState()
    {
        lock (_gate)
        {
            return new RaftInitialState(_hardState.Clone(), _snapshot.Metadata.ConfState.Clone());
        }
    }

    public HardState HardState
    {
        get
        {
            lock (_gate)
            {
                return _hardState.Clone();
            }
        }
    }

    public void SetHardState(HardState hardState)
    {
        ArgumentNullException.ThrowIfNull(hardState);
        lock (_gate)
        {
            _hardState = hardState.Clone();
        }
    }

    public IReadOnlyList<Entry> Entries(ulong low, ulong high, ulong maxSize)
    {
        lock (_gate)
        {
            if (low <= _compactedIndex)
            {
                throw new RaftStorageException(RaftStorageError.Compacted, $"raft: requested index {low} is compacted (first index {_compactedIndex + 1})");
            }

            ulong last = LastIndexLocked();
            if (high > last + 1 || low > high)
            {
                throw new RaftStorageException(RaftStorageError.Unavailable, $"raft: entries [{low}, {high}) out of bound, last index {last}");
            }

            int start = (int)(low - _compactedIndex - 1);
            int count = (int)(high - low);
            var result = new List<Entry>(Math.Min(count, 64));
            ulong size = 0;
            for (int i = 0; i < count; i++)
            {
                var entry = _entries[start + i];
                size += (ulong)entry.CalculateSize();
                if (i > 0 && size > maxSize)
                {
                    break;
                }

                result.Add(entry);
            }

            return result;
        }
    }

    public ulong Term(ulong index)
    {
        lock (_gate)
        {
            if (index < _compactedIndex)
            {
                throw new RaftStorageException(RaftStorageError.Compacted, $"raft: requested index {index} is compacted");
            }

            if (index == _compactedIndex)
            {
                return _compactedTerm;
            }

            if (index > LastIndexLocked())
            {
                throw new RaftStorageException(RaftStorageError.Unavailable, $"raft: requested index {index} is unavailable");
            }

            return _entries[(int)(index - _compactedIndex - 1)].Term;
        }
    }

    public ulong FirstIndex()
    {
        lock (_gate)
        {
            return _compactedIndex + 1;
        }
    }

    public ulong LastIndex()
    {
        lock (_gate)
        {
            return LastIndexLocked();
        }
    }

    public Snapshot Snapshot()
    {
        lock (_gate)
        {
            return _snapshot;
        }
    }

    /// <summary>
    /// Stores entries received in a <see cref="Ready"/>. Entries already compacted are skipped; an entry that
    /// overlaps the stored tail replaces it and everything after it.
    /// </summary>
    public void Append(IReadOnlyList<Entry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            ulong first = _compactedIndex + 1;
            ulong lastNew = entries[0].Index + (ulong)entries.Count - 1;
            if (lastNew < first)
            {
                return;
            }

            int skip = entries[0].Index < first ? (int)(first - entries[0].Index) : 0;
            ulong firstNew = entries[skip].Index;
            ulong last = LastIndexLocked();
            if (firstNew > last + 1)
            {
                throw new InvalidOperationException($"raft: missing log entries: last index {last}, appended entries start at {firstNew}");
            }

            int keep = (int)(firstNew - first);
            if (keep < _entries.Count)
            {
                _entries.RemoveRange(keep, _entries.Count - keep);
            }

            for (int i = skip; i < entries.Count; i++)
            {
                _entries.Add(entries[i]);
            }
        }
    }

    /// <summary>Replaces the whole log with a snapshot received from the leader.</summary>
    public void ApplySnapshot(Snapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_gate)
        {
            ulong index = snapshot.Metadata?.Index ?? 0;
            if (index <= (_snapshot.Metadata?.Index ?? 0))
            {
                throw new RaftStorageException(RaftStorageError.SnapshotOutOfDate, $"raft: snapshot at index {index} is not newer than the one held");
            }

            _snapshot = Normalize(snapshot);
            _compactedIndex = index;
            _compactedTerm = snapshot.Metadata!.Term;
            _entries.Clear();
        }
    }

    /// <summary>
    /// Restores a compacted log as a journal recorded it: the latest snapshot, and the entries kept after
    /// <paramref name="compactedIndex"/> (whose term is <paramref name="compactedTerm"/>). Replaces everything held.
    /// </summary>
    public void Restore(Snapshot snapshot, ulong compactedIndex, ulong compactedTerm, IReadOnlyList<Entry> entries)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(entries);
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i].Index != compactedIndex + 1 + (ulong)i)
            {
                throw new ArgumentException(
                    $"raft: restored entries must follow index {compactedIndex} without gaps (entry {i} has index {entries[i].Index})", nameof(entries));
            }
        }

        lock (_gate)
        {
            _snapshot = snapshot.Metadata is null ? EmptySnapshot() : Normalize(snapshot);
            _compactedIndex = compactedIndex;
            _compactedTerm = compactedTerm;
            _entries.Clear();
            _entries.AddRange(entries);
        }
    }

    /// <summary>
    /// Records a snapshot of the application's state as of <paramref name="index"/> (which must be applied),
    /// so that lagging followers can be sent it. Does not compact; call <see cref="Compact"/> for that.
    /// </summary>
    public Snapshot CreateSnapshot(ulong index, ConfState confState, ByteString data)
    {
        ArgumentNullException.ThrowIfNull(confState);
        ArgumentNullException.ThrowIfNull(data);
        lock (_gate)
        {
            if (index <= (_snapshot.Metadata?.Index ?? 0))
            {
                throw new RaftStorageException(RaftStorageError.SnapshotOutOfDate, $"raft: snapshot at index {index} is not newer than the one held");
            }

            ulong last = LastIndexLocked();
            if (index > last)
            {
                throw new ArgumentOutOfRangeException(nameof(index), $"raft: snapshot index {index} is beyond the last index {last}");
            }

            ulong term = index == _compactedIndex ? _compactedTerm : _entries[(int)(index - _compactedIndex - 1)].Term;
            _snapshot = new Snapshot
            {
                Data = data,
                Metadata = new SnapshotMetadata { Index = index, Term = term, ConfState = confState.Clone() },
            };
            return _snapshot;
        }
    }

    /// <summary>Discards entries up to and including <paramref name="index"/>; its term stays known.</summary>
    public void Compact(ulong index)
    {
        lock (_gate)
        {
            if (index <= _compactedIndex)
            {
                throw new RaftStorageException(RaftStorageError.Compacted, $"raft: index {index} is already compacted");
            }

            ulong last = LastIndexLocked();
            if (index > last)
            {
                throw new ArgumentOutOfRangeException(nameof(index), $"raft: compaction index {index} is beyond the last index {last}");
            }

            int drop = (int)(index - _compactedIndex);
            _compactedTerm = _entries[drop - 1].Term;
            _compactedIndex = index;
            _entries.RemoveRange(0, drop);
        }
    }

    private ulong LastIndexLocked() => _compactedIndex + (ulong)_entries.Count;

    private static Snapshot EmptySnapshot() =>
        new() { Metadata = new SnapshotMetadata { ConfState = new ConfState() } };

    private static Snapshot Normalize(Snapshot snapshot)
    {
        if (snapshot.Metadata.ConfState is not null)
        {
            return snapshot;
        }

        var copy = snapshot.Clone();
        copy.Metadata.ConfState = new ConfState();
        return copy;
    }
}
