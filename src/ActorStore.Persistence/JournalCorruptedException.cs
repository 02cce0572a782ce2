namespace ActorStore.Persistence;

/// <summary>
/// Stored data failed its checksum where it cannot simply be dropped (intact entries follow it, or it is a
/// state record). The store needs repair or restoring from a peer or backup.
/// </summary>
public sealed class JournalCorruptedException : Exception
{
    public JournalCorruptedException(string persistenceId, long sequenceNr)
        : base($"journal of persistence id '{persistenceId}' is corrupted: entry with sequence number {sequenceNr} "
            + "fails its checksum and intact entries follow it")
    {
        PersistenceId = persistenceId;
        SequenceNr = sequenceNr;
    }

    public JournalCorruptedException(string persistenceId, string stateKey)
        : base($"journal of persistence id '{persistenceId}' is corrupted: state record '{stateKey}' fails its checksum")
    {
        PersistenceId = persistenceId;
        StateKey = stateKey;
    }

    public string PersistenceId { get; }

    /// <summary>The corrupt entry's sequence number; 0 when a state record is corrupt.</summary>
    public long SequenceNr { get; }

    /// <summary>The corrupt state record's key, when that is what failed.</summary>
    public string? StateKey { get; }
}
