using Raftpb;

namespace ActorStore.Raft;

/// <summary>
/// The tail of the log (and possibly an incoming snapshot) that the core holds but the shell has not yet
/// confirmed durable. Entries here shadow whatever the storage holds at the same indexes.
/// </summary>
internal sealed class UnstableLog(ulong offset)
{
    private readonly List<Entry> _entries = [];

    /// <summary>Index of the first unstable entry.</summary>
    public ulong Offset { get; private set; } = offset;

    public Snapshot? Snapshot { get; private set; }

    public int Count => _entries.Count;

    public bool TryFirstIndex(out ulong index)
    {
        if (Snapshot is not null)
        {
            index = Snapshot.Metadata.Index + 1;
            return true;
        }

        index = 0;
        return false;
    }

    public bool TryLastIndex(out ulong index)
    {
        if (_entries.Count > 0)
        {
            index = Offset + (ulong)_entries.Count - 1;
            return true;
        }

        if (Snapshot is not null)
        {
            index = Snapshot.Metadata.Index;
            return true;
        }

        index = 0;
        return false;
    }

    public bool TryTerm(ulong index, out ulong term)
    {
        if (index < Offset)
        {
            if (Snapshot is not null && Snapshot.Metadata.Index == index)
            {
                term = Snapshot.Metadata.Term;
                return true;
            }

            term = 0;
            return false;
        }

        ulong position = index - Offset;
        if (position >= (ulong)_entries.Count)
        {
            term = 0;
            return false;
        }

        term = _entries[(int)position].Term;
        return true;
    }

    /// <summary>The shell persisted entries up to <paramref name="index"/>; forget them unless they were replaced meanwhile.</summary>
    public void StableTo(ulong index, ulong term)
    {
        if (index < Offset || !TryTerm(index, out ulong current) || current != term)
        {
            return;
        }

        int count = (int)(index - Offset + 1);
        _entries.RemoveRange(0, count);
        Offset = index + 1;
    }

    public void StableSnapshotTo(ulong index)
    {
        if (Snapshot is not null && Snapshot.Metadata.Index == index)
        {
            Snapshot = null;
        }
    }

    public void Restore(Snapshot snapshot)
    {
        Offset = snapshot.Metadata.Index + 1;
        _entries.Clear();
        Snapshot = snapshot;
    }

    /// <summary>Appends entries, first dropping any unstable entries at or after the first new index.</summary>
    public void TruncateAndAppend(IReadOnlyList<Entry> entries, int start)
    {
        ulong firstNew = entries[start].Index;
        ulong end = Offset + (ulong)_entries.Count;
        if (firstNew <= Offset)
        {
            // Replaces everything unstable; the storage copy beyond this point becomes stale too.
            Offset = firstNew;
            _entries.Clear();
        }
        else if (firstNew < end)
        {
            int keep = (int)(firstNew - Offset);
            _entries.RemoveRange(keep, _entries.Count - keep);
        }

        for (int i = start; i < entries.Count; i++)
        {
            _entries.Add(entries[i]);
        }
    }

    /// <summary>Adds entries [low, high) to <paramref name="into"/>; both bounds must lie within the unstable range.</summary>
    public void CopyTo(ulong low, ulong high, List<Entry> into)
    {
        int start = (int)(low - Offset);
        int count = (int)(high - low);
        for (int i = 0; i < count; i++)
        {
            into.Add(_entries[start + i]);
        }
    }

    public Entry[] ToArray() => _entries.Count == 0 ? [] : _entries.ToArray();
}
