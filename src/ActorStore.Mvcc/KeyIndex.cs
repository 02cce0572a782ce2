using Google.Protobuf;

namespace ActorStore.Mvcc;

/// <summary>
/// Everything the store remembers about one key: its generations, oldest first.
/// Follows etcd's key index rules, including which record a compaction keeps.
/// </summary>
internal sealed class KeyIndex
{
    // A write is filed into its generation only once it is old (see MvccStore.SettleOldest). Until then the store's history,
    // appended in order, is the only thing referring to the record, and the index keeps where it is: a position, which the
    // GC does not trace. Filing a young record into this long-lived index would make every young-generation collection
    // rescan the index's card of the heap; with writes to random keys that was half of all GC pause time.
    private readonly List<Generation> _generations;
    private MvccStore? _store;
    private int _unsettledCount;
    private int _newestUnsettled;

    public KeyIndex(byte[] key)
    {
        Key = key;
        KeyBytes = UnsafeByteOperations.UnsafeWrap(key);
        _generations = [new Generation()];
    }

    public byte[] Key { get; }

    /// <summary>The key as a protobuf byte string, created once and shared by every record of the key.</summary>
    public ByteString KeyBytes { get; }

    public List<Generation> Generations
    {
        get
        {
            EnsureSettled();
            return _generations;
        }
    }

    /// <summary>Revision of the newest record (put or tombstone).</summary>
    public Revision Modified { get; private set; }

    /// <summary>True when nothing is left: a single generation without records.</summary>
    public bool IsEmpty => _unsettledCount == 0 && _generations.Count == 1 && _generations[0].IsEmpty;

    /// <summary>The live record (the latest put of the current generation), or null when the key is deleted.</summary>
    public RevisionRecord? Current
    {
        get
        {
            if (_unsettledCount > 0)
            {
                var newest = _store!.History[_newestUnsettled];
                return newest.IsTombstone ? null : newest;
            }

            var last = _generations[^1];
            return last.IsEmpty ? null : last.Last;
        }
    }

    public void Put(RevisionRecord record)
    {
        EnsureAfterModified(record.Revision);
        Generations[^1].Records.Add(record);
        Modified = record.Revision;
    }

    /// <summary>
    /// Records a write (a put, or a tombstone of the live key) that the store has just appended to its history at
    /// <paramref name="historyPosition"/>; it is filed into the generations when the store settles it.
    /// </summary>
    public void PutUnsettled(RevisionRecord record, MvccStore store, int historyPosition)
    {
        EnsureAfterModified(record.Revision);
        if (record.IsTombstone && Current is null)
        {
            throw new InvalidOperationException("Cannot delete a key that is not live.");
        }

        _store = store;
        _unsettledCount++;
        _newestUnsettled = historyPosition;
        Modified = record.Revision;
        record.UnsettledOwner = this;
    }

    /// <summary>Files the oldest unsettled write; the store settles in history order, so records keep their order.</summary>
    public void Settle(RevisionRecord record)
    {
        record.UnsettledOwner = null;
        _generations[^1].Records.Add(record);
        if (record.IsTombstone)
        {
            _generations.Add(new Generation());
        }

        _unsettledCount--;
    }

    /// <summary>Ends the current generation with a tombstone; the key must be live.</summary>
    public void Tombstone(RevisionRecord tombstone)
    {
        if (Generations[^1].IsEmpty)
        {
            throw new InvalidOperationException("Cannot delete a key that is not live.");
        }

        Put(tombstone);
        Generations.Add(new Generation());
    }

    /// <summary>The put visible at <paramref name="atRevision"/>, or null when the key did not exist then.</summary>
    public RevisionRecord? Get(long atRevision)
    {
        if (atRevision >= Modified.Main)
        {
            return Current;
        }

        var generation = FindGeneration(atRevision);
        if (generation is null)
        {
            return null;
        }

        var index = generation.IndexAtOrBefore(atRevision);
        return index < 0 ? null : generation.Records[index];
    }

    /// <summary>
    /// Drops what a compaction at <paramref name="atRevision"/> removes: generations that ended at or before it, and in the
    /// first surviving generation every record older than the newest one at or before it. Dropped records are marked.
    /// </summary>
    public void Compact(long atRevision)
    {
        EnsureSettled();
        var (generationIndex, keepIndex) = LocateCompaction(atRevision);
        var generation = Generations[generationIndex];
        if (!generation.IsEmpty)
        {
            if (keepIndex > 0)
            {
                var records = generation.Records;
                for (var i = 0; i < keepIndex; i++)
                {
                    records[i].Dropped = true;
                }

                records.RemoveRange(0, keepIndex);
            }

            if (generation.Records.Count == 1 && generationIndex != Generations.Count - 1)
            {
                generation.Records[0].Dropped = true;
                generationIndex++;
            }
        }

        if (generationIndex == 0)
        {
            return;
        }

        for (var g = 0; g < generationIndex; g++)
        {
            foreach (var record in Generations[g].Records)
            {
                record.Dropped = true;
            }
        }

        Generations.RemoveRange(0, generationIndex);
    }

    /// <summary>
    /// The record a compaction at <paramref name="atRevision"/> would keep for this key, without changing anything
    /// (the key's entry in etcd's keep set), or null when it would keep none.
    /// </summary>
    public RevisionRecord? KeptAt(long atRevision)
    {
        EnsureSettled();
        if (IsEmpty)
        {
            return null;
        }

        var (generationIndex, keepIndex) = LocateCompaction(atRevision);
        var generation = Generations[generationIndex];
        if (generation.IsEmpty || keepIndex < 0)
        {
            return null;
        }

        if (keepIndex == generation.Records.Count - 1 && generationIndex != Generations.Count - 1)
        {
            return null;
        }

        return generation.Records[keepIndex];
    }

    private void EnsureAfterModified(Revision revision)
    {
        if (revision <= Modified)
        {
            throw new InvalidOperationException($"Revision {revision} is not after the key's last modification {Modified}.");
        }
    }

    private void EnsureSettled()
    {
        if (_unsettledCount > 0)
        {
            _store!.SettleAll();
        }
    }

    private (int GenerationIndex, int KeepIndex) LocateCompaction(long atRevision)
    {
        var generationIndex = 0;
        var lastIndex = Generations.Count - 1;
        while (generationIndex < lastIndex && Generations[generationIndex].Last.Revision.Main <= atRevision)
        {
            generationIndex++;
        }

        return (generationIndex, Generations[generationIndex].IndexAtOrBefore(atRevision));
    }

    private Generation? FindGeneration(long atRevision)
    {
        var lastIndex = Generations.Count - 1;
        for (var g = lastIndex; g >= 0; g--)
        {
            var generation = Generations[g];
            if (generation.IsEmpty)
            {
                continue;
            }

            // A finished generation whose tombstone is already visible means the key was deleted at that point.
            if (g != lastIndex && generation.Last.Revision.Main <= atRevision)
            {
                return null;
            }

            if (generation.First.Revision.Main <= atRevision)
            {
                return generation;
            }
        }

        return null;
    }
}
