namespace ActorStore.Persistence;

/// <summary>
/// One event of a persistence id. The payload is opaque to the journal (typically a serialized protobuf message
/// such as a Raft log entry); the journal only stores it and guards it with a checksum.
/// </summary>
public sealed record JournalEntry(string PersistenceId, long SequenceNr, ReadOnlyMemory<byte> Payload);
