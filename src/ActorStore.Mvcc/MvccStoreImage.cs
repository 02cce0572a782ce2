namespace ActorStore.Mvcc;

/// <summary>
/// The keyspace at one revision, taken by <see cref="MvccStore.Capture"/>: its retained records in revision order
/// (immutable, so the copy is an array of references) and its revisions. The store goes on changing; the image does not,
/// so it can be encoded on another thread.
/// </summary>
public sealed record MvccStoreImage(IReadOnlyList<RevisionRecord> Records, long CurrentRevision, long CompactRevision)
{
    /// <summary>The image in the format of <see cref="MvccStore.WriteSnapshot"/>, which <see cref="MvccStore.ReadSnapshot"/> reads back.</summary>
    public void WriteSnapshot(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        MvccSnapshotFormat.Write(this, destination);
    }
}
