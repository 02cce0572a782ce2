namespace ActorStore.Persistence.Sqlite;

/// <summary>The journal half of a <see cref="SqlitePersistence"/> database.</summary>
internal sealed class SqliteJournal(SqlitePersistence owner, SqliteWriter writer, SqliteReaderPool readers) : IJournal
{
    private int _disposed;

    public Task WriteAsync(IReadOnlyList<AtomicWrite> batch, CancellationToken ct = default)
    {
        try
        {
            AtomicWriteValidation.Validate(batch);
        }
        catch (ArgumentException e)
        {
            return Task.FromException(e);
        }

        // Queued before returning, so calls made one after another are applied in that order.
        return batch.Count == 0 ? Task.CompletedTask : writer.RunAsync(session => session.WriteBatch(batch), ct);
    }

    public async Task ReplayAsync(
        string persistenceId,
        long fromSequenceNr,
        long toSequenceNr,
        long max,
        Action<JournalEntry> onEntry,
        CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        ArgumentNullException.ThrowIfNull(onEntry);
        while (max > 0 && fromSequenceNr <= toSequenceNr)
        {
            var from = fromSequenceNr;
            var limit = max;
            var (delivered, corrupt) = await readers.RunAsync(
                connection => connection.Replay(persistenceId, from, toSequenceNr, limit, onEntry, ct),
                ct).ConfigureAwait(false);
            if (corrupt == 0)
            {
                return;
            }

            switch (await writer.RunAsync(session => session.RepairTailFrom(persistenceId, corrupt), ct).ConfigureAwait(false))
            {
                case TailRepair.Truncated:
                    return;
                case TailRepair.CorruptInMiddle:
                    throw new JournalCorruptedException(persistenceId, corrupt);
                default:
                    // Rewritten since we read it: continue from there with what is left of the budget.
                    fromSequenceNr = corrupt;
                    max -= delivered;
                    break;
            }
        }
    }

    public Task<long> ReadHighestSequenceNrAsync(string persistenceId, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        return readers.RunAsync(connection => connection.ReadHighest(persistenceId), ct);
    }

    public Task<long> ReadLowestSequenceNrAsync(string persistenceId, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        return readers.RunAsync(connection => connection.ReadLowest(persistenceId), ct);
    }

    public Task DeleteToAsync(string persistenceId, long toSequenceNr, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        return writer.RunAsync(session => session.DeleteTo(persistenceId, toSequenceNr), ct);
    }

    public Task<IReadOnlyDictionary<string, byte[]>> ReadStateAsync(string persistenceId, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        return readers.RunAsync(connection => connection.ReadState(persistenceId), ct);
    }

    public ValueTask DisposeAsync() =>
        Interlocked.Exchange(ref _disposed, 1) == 0 ? owner.ReleasePartAsync() : ValueTask.CompletedTask;
}
