namespace ActorStore.Persistence.Embedded;

/// <summary>One serialized snapshot as stored.</summary>
internal sealed record SnapshotRecord(
    string PersistenceId,
    long SequenceNr,
    long TimestampTicks,
    int SerializerId,
    string SerializerManifest,
    byte[] Data)
{
    public uint Checksum() =>
        Checksums.SerializedSnapshot(SequenceNr, TimestampTicks, SerializerId, SerializerManifest, Data);
}
