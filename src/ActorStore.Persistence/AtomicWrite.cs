namespace ActorStore.Persistence;

/// <summary>
/// Entries and state records of one persistence id that become durable together or not at all.
/// </summary>
/// <param name="PersistenceId">The persistence id every entry belongs to.</param>
/// <param name="Entries">Contiguous, ascending sequence numbers (may be empty when only state is written).
/// Writing entries that start at sequence number n first removes every stored entry of this id with a
/// sequence number &gt;= n, so a conflicting suffix is replaced in the same transaction.</param>
/// <param name="State">Small key/value records of this persistence id (e.g. Raft hard state) stored in the same
/// transaction; keys not mentioned keep their previous value.</param>
public sealed record AtomicWrite(
    string PersistenceId,
    IReadOnlyList<JournalEntry> Entries,
    IReadOnlyDictionary<string, byte[]>? State = null);
