using ActorStore.Persistence.Sqlite;
using Microsoft.Data.Sqlite;

namespace ActorStore.Persistence.Embedded;

/// <summary>A query-only connection to the journal database with its prepared commands.</summary>
internal sealed class JournalReadConnection : IDisposable
{
    private const int CancellationCheckInterval = 256;

    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _replay;
    private readonly SqliteCommand _highest;

    public JournalReadConnection(string databasePath)
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
                """
                SELECT sequence_nr, timestamp_ticks, writer_uuid, event_manifest, serializer_id, serializer_manifest, crc, payload
                FROM events
                WHERE pid = (SELECT id FROM persistence_ids WHERE persistence_id = $persistence_id)
                  AND sequence_nr BETWEEN $from AND $to
                ORDER BY sequence_nr LIMIT $max
                """,
                "$persistence_id",
                "$from",
                "$to",
                "$max");
            _highest = Prepare(
                "SELECT highest_sequence_nr FROM persistence_ids WHERE persistence_id = $persistence_id",
                "$persistence_id");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>
    /// Delivers the stored events in the range, ascending, at most <paramref name="max"/>. A row failing its
    /// checksum here is not a torn tail (those are cut at open) but damage with intact rows around it: it throws.
    /// </summary>
    public long Replay(
        string persistenceId,
        long fromSequenceNr,
        long toSequenceNr,
        long max,
        Action<EventRecord> onEvent,
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

            var record = new EventRecord(
                persistenceId,
                reader.GetInt64(0),
                reader.GetInt64(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetInt32(4),
                reader.GetString(5),
                reader.GetFieldValue<byte[]>(7));
            if ((uint)reader.GetInt64(6) != record.Checksum())
            {
                throw new JournalCorruptedException(persistenceId, record.SequenceNr);
            }

            onEvent(record);
            delivered++;
        }

        return delivered;
    }

    public long ReadHighest(string persistenceId)
    {
        _highest.Parameters[0].Value = persistenceId;
        return _highest.ExecuteScalar() is long highest ? highest : 0;
    }

    public void Dispose()
    {
        // Commands hold prepared statements; they must go before the connection closes.
        _replay?.Dispose();
        _highest?.Dispose();
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
