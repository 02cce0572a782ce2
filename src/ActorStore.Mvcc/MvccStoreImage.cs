namespace ActorStore.Mvcc;

/// <summary>
/// The keyspace at one revision, taken by <see cref="MvccStore.Capture"/>: its retained records in revision order
/// (immutable, so the copy is an array of references) and its revisions. The store goes on changing; the image does not,
/// so it can be encoded on another thread.
/// </summary>
public sealed record MvccStoreImage(IReadOnlyList<RevisionRecord> Records, long CurrentRevision, long CompactRevision)
{
    /// <summary>
    /// The store's key indexes in key order when the image was taken, if known: the encoder then groups the records by
    /// key without sorting the keys (the store's records share their key index's key bytes).
    /// </summary>
    internal KeyIndex[]? KeyOrder { get; init; }

    /// <summary>The records' key and value bytes summed, when the store knew them (it keeps the sum for its quota).</summary>
    public long? RecordBytes { get; init; }

    /// <summary>The image in the format of <see cref="MvccStore.WriteSnapshot"/>, which <see cref="MvccStore.ReadSnapshot"/> reads back.</summary>
    public void WriteSnapshot(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        MvccSnapshotFormat.Write(this, destination);
    }
}
