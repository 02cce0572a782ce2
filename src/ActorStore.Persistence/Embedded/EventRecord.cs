namespace ActorStore.Persistence.Embedded;

/// <summary>One serialized event as stored: Akka's serialization triple plus the persistent representation's fields.</summary>
internal sealed record EventRecord(
    string PersistenceId,
    long SequenceNr,
    long TimestampTicks,
    string WriterUuid,
    string EventManifest,
    int SerializerId,
    string SerializerManifest,
    byte[] Payload)
{
    public uint Checksum() =>
        Checksums.Event(SequenceNr, TimestampTicks, WriterUuid, EventManifest, SerializerId, SerializerManifest, Payload);
}
