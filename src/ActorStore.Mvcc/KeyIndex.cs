using Google.Protobuf;

namespace ActorStore.Mvcc;

/// <summary>
/// Everything the store remembers about one key: its generations, oldest first.
/// Follows etcd's key index rules, including which record a compaction keeps.
/// </summary>
internal sealed class KeyIndex
{
    public KeyIndex(byte[] key)
    {
        Key = key;
        KeyBytes = UnsafeByteOperations.UnsafeWrap(key);
        Generations = [new Generation()];
    }

    public byte[] Key { get; }

    /// <summary>The key as a protobuf byte string, created once and shared by every record of the key.</summary>
    public ByteString KeyBytes { get; }

    public List<Generation> Generations { get; }

    /// <summary>Revision of the newest record (put or tombstone).</summary>
    public Revision Modified { get; private set; }

    /// <summary>True when nothing is left: a single generation without records.</summary>
    public bool IsEmpty => Generations.Count == 1 && Generations[0].IsEmpty;

    /// <summary>The live record (the latest put of the current generation), or null when the key is deleted.</summary>
    public RevisionRecord? Current
    {
        get
        {
            var last = Generations[^1];
            return last.IsEmpty ? null : last.Last;
        }
    }

    public void Put(RevisionRecord record)
    {
        if (record.Revision <= Modified)
        {
            throw new InvalidOperationException($"Revision {record.Revision} is not after the key's last modification {Modified}.");
        }

        Generations[^1].Records.Add(record);
        Modified = record.Revision;
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
