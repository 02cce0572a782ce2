using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace ActorStore.Persistence.Sqlite;

/// <summary>
/// A query-only connection with its prepared commands. WAL mode lets it read the last committed state while the
/// writer commits. Used by one caller at a time (see <see cref="SqliteReaderPool"/>).
/// </summary>
internal sealed class SqliteReadConnection : IDisposable
{
    private const int CancellationCheckInterval = 256;

    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _replay;
    private readonly SqliteCommand _highest;
    private readonly SqliteCommand _lowest;
    private readonly SqliteCommand _state;
    private readonly SqliteCommand _snapshots;

    public SqliteReadConnection(string databasePath)
    {
        _connection = new SqliteConnection(SqliteDataDirectory.ConnectionString(databasePath, SqliteOpenMode.ReadWrite));
        try
        {
            _connection.Open();
            using (var pragma = _connection.CreateCommand())
            {
                pragma.CommandText = "PRAGMA query_only = 1";
                pragma.ExecuteNonQuery();
            }

            _replay = Prepare(
                $"""
                SELECT sequence_nr, crc, payload FROM journal
                WHERE pid = {SqliteSchema.PidOf} AND sequence_nr BETWEEN $from AND $to
                ORDER BY sequence_nr LIMIT $max
                """,
                "$persistence_id",
                "$from",
                "$to",
                "$max");
            _highest = Prepare(
                "SELECT highest_sequence_nr FROM persistence_ids WHERE persistence_id = $persistence_id",
                "$persistence_id");
            _lowest = Prepare(
                $"SELECT MIN(sequence_nr) FROM journal WHERE pid = {SqliteSchema.PidOf}",
                "$persistence_id");
            _state = Prepare(
                $"SELECT name, crc, value FROM journal_state WHERE pid = {SqliteSchema.PidOf}",
                "$persistence_id");
            _snapshots = Prepare(
                """
                SELECT sequence_nr, timestamp_ticks, crc, data FROM snapshots
                WHERE persistence_id = $persistence_id AND sequence_nr BETWEEN $min AND $max AND timestamp_ticks <= $max_ticks
                ORDER BY sequence_nr DESC, timestamp_ticks DESC
                """,
                "$persistence_id",
                "$min",
                "$max",
                "$max_ticks");
        }
        catch
        {
            _connection.Dispose();
            throw;
        }
    }

    /// <summary>Delivers intact entries in order; stops at the first corrupt one.</summary>
    /// <returns>How many entries were delivered and the corrupt entry's sequence number (0 when none).</returns>
    public (long Delivered, long CorruptSequenceNr) Replay(
        string persistenceId,
        long fromSequenceNr,
        long toSequenceNr,
        long max,
        Action<JournalEntry> onEntry,
        CancellationToken ct)
    {
        _replay.Parameters[0].Value = persistenceId;
        _replay.Parameters[1].Value = fromSequenceNr;
        _replay.Parameters[2].Value = toSequenceNr;
        _replay.Parameters[3].Value = max;
        long delivered = 0;
        using var reader = _replay.ExecuteReader();
        while (reader.Read())
        {
            if (delivered % CancellationCheckInterval == 0)
            {
                ct.ThrowIfCancellationRequested();
            }

            var sequenceNr = reader.GetInt64(0);
            var crc = (uint)reader.GetInt64(1);
            var payload = reader.GetFieldValue<byte[]>(2);
            if (crc != Checksums.Entry(sequenceNr, payload))
            {
                return (delivered, sequenceNr);
            }

            onEntry(new JournalEntry(persistenceId, sequenceNr, payload));
            delivered++;
        }

        return (delivered, 0);
    }

    public long ReadHighest(string persistenceId)
    {
        _highest.Parameters[0].Value = persistenceId;
        return _highest.ExecuteScalar() is long highest ? highest : 0;
    }

    public long ReadLowest(string persistenceId)
    {
        _lowest.Parameters[0].Value = persistenceId;
        return _lowest.ExecuteScalar() is long lowest ? lowest : 0;
    }

    public IReadOnlyDictionary<string, byte[]> ReadState(string persistenceId)
    {
        _state.Parameters[0].Value = persistenceId;
        var state = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using var reader = _state.ExecuteReader();
        while (reader.Read())
        {
            var key = reader.GetString(0);
            var crc = (uint)reader.GetInt64(1);
            var value = reader.GetFieldValue<byte[]>(2);
            if (crc != Checksums.State(key, value))
            {
                throw new JournalCorruptedException(persistenceId, key);
            }

            state[key] = value;
        }

        return state;
    }

    /// <summary>The newest matching snapshot that passes its checksum; corrupt ones are logged and skipped.</summary>
    public SelectedSnapshot? LoadSnapshot(string persistenceId, SnapshotSelectionCriteria criteria, ILogger logger)
    {
        _snapshots.Parameters[0].Value = persistenceId;
        _snapshots.Parameters[1].Value = criteria.MinSequenceNr;
        _snapshots.Parameters[2].Value = criteria.MaxSequenceNr;
        _snapshots.Parameters[3].Value = criteria.MaxTimestamp?.UtcTicks ?? long.MaxValue;
        using var reader = _snapshots.ExecuteReader();
        while (reader.Read())
        {
            var sequenceNr = reader.GetInt64(0);
            var ticks = reader.GetInt64(1);
            var crc = (uint)reader.GetInt64(2);
            var data = reader.GetFieldValue<byte[]>(3);
            if (crc == Checksums.Snapshot(sequenceNr, ticks, data))
            {
                return new SelectedSnapshot(
                    new SnapshotMetadata(persistenceId, sequenceNr, new DateTimeOffset(ticks, TimeSpan.Zero)),
                    data);
            }

            logger.LogWarning(
                "snapshot of persistence id {PersistenceId} at sequence number {SequenceNr} fails its checksum; "
                + "skipping it and trying an older one",
                persistenceId,
                sequenceNr);
        }

        return null;
    }

    public void Dispose()
    {
        // Commands hold the prepared statements; they must go before the connection closes.
        _replay?.Dispose();
        _highest?.Dispose();
        _lowest?.Dispose();
        _state?.Dispose();
        _snapshots?.Dispose();
        _connection.Dispose();
    }

    private SqliteCommand Prepare(string sql, params ReadOnlySpan<string> parameterNames)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameterNames)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }
}
