using Raftpb;

namespace ActorStore.Raft;

/// <summary>
/// The core's view of the log: the durable part read through <see cref="IRaftLogStorage"/>, overlaid by the
/// unstable tail, plus the commit and apply cursors.
/// </summary>
internal sealed class RaftLog
{
    private readonly IRaftLogStorage _storage;
    private readonly ulong _maxCommittedSizePerReady;

    public RaftLog(IRaftLogStorage storage, ulong maxCommittedSizePerReady)
    {
        _storage = storage;
        _maxCommittedSizePerReady = maxCommittedSizePerReady;
        ulong first = storage.FirstIndex();
        ulong last = storage.LastIndex();
        Unstable = new UnstableLog(last + 1);
        Committed = first - 1;
        Applied = first - 1;
    }

    public UnstableLog Unstable { get; }

    /// <summary>Highest index known to be committed.</summary>
    public ulong Committed { get; private set; }

    /// <summary>Highest index the application has applied (as acknowledged through Advance).</summary>
    public ulong Applied { get; private set; }

    public ulong FirstIndex => Unstable.TryFirstIndex(out ulong index) ? index : _storage.FirstIndex();

    public ulong LastIndex => Unstable.TryLastIndex(out ulong index) ? index : _storage.LastIndex();

    public ulong LastTerm => TryTerm(LastIndex, out ulong term)
        ? term
        : throw new InvalidOperationException($"raft: term of the last index {LastIndex} is unknown");

    /// <summary>
    /// Last index whose entry is durable and still part of this log. The leader counts its own copy towards a
    /// quorum only up to here, so an entry is never committed on the strength of an unwritten copy.
    /// </summary>
    public ulong StableLastIndex => Unstable.Snapshot is null ? Unstable.Offset - 1 : 0;

    /// <summary>Term of the entry at <paramref name="index"/>; false when it was compacted or lies beyond the log.</summary>
    public bool TryTerm(ulong index, out ulong term)
    {
        ulong first = FirstIndex;
        if (index + 1 < first || index > LastIndex)
        {
            term = 0;
            return false;
        }

        if (Unstable.TryTerm(index, out term))
        {
            return true;
        }

        try
        {
            term = _storage.Term(index);
            return true;
        }
        catch (RaftStorageException e) when (e.Error is RaftStorageError.Compacted or RaftStorageError.Unavailable)
        {
            term = 0;
            return false;
        }
    }

    public ulong TermOrZero(ulong index) => TryTerm(index, out ulong term) ? term : 0;

    public bool MatchTerm(ulong index, ulong term) => TryTerm(index, out ulong actual) && actual == term;

    /// <summary>True when a candidate whose log ends at (<paramref name="lastIndex"/>, <paramref name="lastTerm"/>) is at least as up to date as this log.</summary>
    public bool IsUpToDate(ulong lastIndex, ulong lastTerm)
    {
        ulong ownTerm = LastTerm;
        return lastTerm > ownTerm || (lastTerm == ownTerm && lastIndex >= LastIndex);
    }

    /// <summary>
    /// Applies a leader's append: when the entry before the batch matches, conflicting entries are replaced and the
    /// commit index advances to what the leader vouches for. Returns false when the preceding entry does not match.
    /// </summary>
    public bool TryAppend(ulong prevIndex, ulong prevTerm, ulong leaderCommit, IReadOnlyList<Entry> entries, out ulong lastNewIndex)
    {
        if (!MatchTerm(prevIndex, prevTerm))
        {
            lastNewIndex = 0;
            return false;
        }

        lastNewIndex = prevIndex + (ulong)entries.Count;
        ulong conflict = FindConflict(entries);
        if (conflict != 0)
        {
            if (conflict <= Committed)
            {
                throw new InvalidOperationException($"raft: entry {conflict} conflicts with committed entry (committed {Committed})");
            }

            Append(entries, (int)(conflict - prevIndex - 1));
        }

        CommitTo(Math.Min(leaderCommit, lastNewIndex));
        return true;
    }

    /// <summary>Index of the first entry whose term differs from ours (or that we lack); 0 when all match.</summary>
    private ulong FindConflict(IReadOnlyList<Entry> entries)
    {
        for (int i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (!MatchTerm(entry.Index, entry.Term))
            {
                return entry.Index;
            }
        }

        return 0;
    }

    public ulong Append(IReadOnlyList<Entry> entries, int start = 0)
    {
        if (start >= entries.Count)
        {
            return LastIndex;
        }

        ulong after = entries[start].Index - 1;
        if (after < Committed)
        {
            throw new InvalidOperationException($"raft: cannot overwrite committed entries: append after {after}, committed {Committed}");
        }

        if (after > LastIndex)
        {
            throw new InvalidOperationException($"raft: append after {after} leaves a gap behind last index {LastIndex}");
        }

        Unstable.TruncateAndAppend(entries, start);
        return LastIndex;
    }

    public void CommitTo(ulong index)
    {
        if (Committed >= index)
        {
            return;
        }

        if (LastIndex < index)
        {
            throw new RaftLogLostException(index, LastIndex);
        }

        Committed = index;
    }

    /// <summary>Commits <paramref name="index"/> if it is beyond the commit point and carries the given (current) term.</summary>
    public bool MaybeCommit(ulong index, ulong term)
    {
        if (index > Committed && TermOrZero(index) == term)
        {
            CommitTo(index);
            return true;
        }

        return false;
    }

    public void AppliedTo(ulong index)
    {
        if (index == 0)
        {
            return;
        }

        if (index > Committed || index < Applied)
        {
            throw new InvalidOperationException($"raft: applied index {index} is outside [{Applied}, {Committed}]");
        }

        Applied = index;
    }

    public void StableTo(ulong index, ulong term) => Unstable.StableTo(index, term);

    public void StableSnapshotTo(ulong index) => Unstable.StableSnapshotTo(index);

    public void Restore(Snapshot snapshot)
    {
        Committed = snapshot.Metadata.Index;
        Unstable.Restore(snapshot);
    }

    public Snapshot Snapshot() => Unstable.Snapshot ?? _storage.Snapshot();

    public bool HasNextCommittedEntries => Committed + 1 > Math.Max(Applied + 1, FirstIndex);

    /// <summary>Committed entries not yet applied, bounded by the per-Ready size budget.</summary>
    public IReadOnlyList<Entry> NextCommittedEntries()
    {
        ulong from = Math.Max(Applied + 1, FirstIndex);
        if (Committed + 1 <= from)
        {
            return [];
        }

        return Slice(from, Committed + 1, _maxCommittedSizePerReady);
    }

    /// <summary>Entries from <paramref name="from"/> to the end, bounded by <paramref name="maxSize"/>; throws when compacted.</summary>
    public List<Entry> EntriesFrom(ulong from, ulong maxSize)
    {
        if (from > LastIndex)
        {
            return [];
        }

        return Slice(from, LastIndex + 1, maxSize);
    }

    /// <summary>Entries [low, high) bounded by <paramref name="maxSize"/>; throws <see cref="RaftStorageException"/> when low is compacted.</summary>
    public List<Entry> Slice(ulong low, ulong high, ulong maxSize)
    {
        if (low > high)
        {
            throw new InvalidOperationException($"raft: invalid slice [{low}, {high})");
        }

        ulong first = FirstIndex;
        if (low < first)
        {
            throw new RaftStorageException(RaftStorageError.Compacted, $"raft: index {low} is compacted (first index {first})");
        }

        if (high > LastIndex + 1)
        {
            throw new InvalidOperationException($"raft: slice [{low}, {high}) is beyond the last index {LastIndex}");
        }

        var result = new List<Entry>();
        if (low == high)
        {
            return result;
        }

        ulong offset = Unstable.Offset;
        if (low < offset)
        {
            ulong storedHigh = Math.Min(high, offset);
            IReadOnlyList<Entry> stored;
            try
            {
                stored = _storage.Entries(low, storedHigh, maxSize);
            }
            catch (RaftStorageException e) when (e.Error == RaftStorageError.Unavailable)
            {
                throw new InvalidOperationException($"raft: entries [{low}, {storedHigh}) are missing from storage", e);
            }

            result.AddRange(stored);
            if ((ulong)stored.Count < storedHigh - low)
            {
                // The storage already stopped at the size limit.
                return result;
            }
        }

        if (high > offset)
        {
            Unstable.CopyTo(Math.Max(low, offset), high, result);
        }

        LimitSize(result, maxSize);
        return result;
    }

    /// <summary>Counts unapplied committed configuration changes (campaigning is unsafe while one is outstanding).</summary>
    public int PendingConfChangesToApply()
    {
        if (Committed <= Applied)
        {
            return 0;
        }

        int count = 0;
        foreach (var entry in Slice(Math.Max(Applied + 1, FirstIndex), Committed + 1, ulong.MaxValue))
        {
            if (entry.Type is EntryType.EntryConfChange or EntryType.EntryConfChangeV2)
            {
                count++;
            }
        }

        return count;
    }

    private static void LimitSize(List<Entry> entries, ulong maxSize)
    {
        if (entries.Count <= 1)
        {
            return;
        }

        ulong size = (ulong)entries[0].CalculateSize();
        for (int i = 1; i < entries.Count; i++)
        {
            size += (ulong)entries[i].CalculateSize();
            if (size > maxSize)
            {
                entries.RemoveRange(i, entries.Count - i);
                return;
            }
        }
    }
}
