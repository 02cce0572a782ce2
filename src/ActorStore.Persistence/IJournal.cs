namespace ActorStore.Persistence;

/// <summary>
/// An append-only, checksummed event log keyed by persistence id and sequence number: the write-ahead log.
/// </summary>
public interface IJournal : IAsyncDisposable
{
    /// <summary>
    /// Stores the whole batch in one transaction; when the task completes every write is durable (fsync'd).
    /// Concurrent calls are applied in the order they were made. An invalid write fails the whole batch
    /// with <see cref="ArgumentException"/> and nothing of it is stored.
    /// </summary>
    Task WriteAsync(IReadOnlyList<AtomicWrite> batch, CancellationToken ct = default);

    /// <summary>
    /// Calls <paramref name="onEntry"/> for the stored entries with fromSequenceNr &lt;= sequence nr &lt;= toSequenceNr,
    /// ascending, at most <paramref name="max"/> of them. A corrupt tail is truncated (and logged); corruption
    /// followed by intact entries throws <see cref="JournalCorruptedException"/>.
    /// </summary>
    Task ReplayAsync(
        string persistenceId,
        long fromSequenceNr,
        long toSequenceNr,
        long max,
        Action<JournalEntry> onEntry,
        CancellationToken ct = default);

    /// <summary>The highest sequence number ever written and not truncated, even if deleted by
    /// <see cref="DeleteToAsync"/>; 0 when none.</summary>
    Task<long> ReadHighestSequenceNrAsync(string persistenceId, CancellationToken ct = default);

    /// <summary>The lowest stored sequence number; 0 when no entry is stored.</summary>
    Task<long> ReadLowestSequenceNrAsync(string persistenceId, CancellationToken ct = default);

    /// <summary>Durably removes the entries with sequence number &lt;= <paramref name="toSequenceNr"/> (log compaction).</summary>
    Task DeleteToAsync(string persistenceId, long toSequenceNr, CancellationToken ct = default);

    /// <summary>The state records stored with <see cref="AtomicWrite.State"/>; empty when none.</summary>
    Task<IReadOnlyDictionary<string, byte[]>> ReadStateAsync(string persistenceId, CancellationToken ct = default);
}
