namespace ActorStore.Mvcc;

/// <summary>
/// One life of a key: from the put that created it to the tombstone that deleted it (the tombstone is the last record).
/// The current generation of a live key has no tombstone; the generation after a deletion is empty until the next put.
/// </summary>
internal sealed class Generation
{
    public List<RevisionRecord> Records { get; } = [];

    public bool IsEmpty => Records.Count == 0;

    public RevisionRecord First => Records[0];

    public RevisionRecord Last => Records[^1];

    /// <summary>Index of the newest record whose main revision is at or before <paramref name="atRevision"/>, or -1.</summary>
    public int IndexAtOrBefore(long atRevision)
    {
        var records = Records;
        for (var i = records.Count - 1; i >= 0; i--)
        {
            if (records[i].Revision.Main <= atRevision)
            {
                return i;
            }
        }

        return -1;
    }
}
