using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using SQLitePCL;

namespace ActorStore.Persistence.Sqlite;

/// <summary>
/// The single writer connection and its prepared statements. Used only by the writer thread, so the
/// persistence-id cache needs no locking. Every public operation is one transaction and so one fsync.
/// </summary>
internal sealed class SqliteWriterSession : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly sqlite3 _db;
    private readonly ILogger _logger;
    private readonly Dictionary<string, PersistenceIdRow> _persistenceIds = new(StringComparer.Ordinal);
    private readonly List<SqliteStatement> _statements = [];

    private readonly SqliteStatement _begin;
    private readonly SqliteStatement _commit;
    private readonly SqliteStatement _rollback;
    private readonly SqliteStatement _selectPersistenceId;
    private readonly SqliteStatement _insertPersistenceId;
    private readonly SqliteStatement _setHighest;
    private readonly SqliteStatement _insertEntry;
    private readonly SqliteStatement _deleteEntriesFrom;
    private readonly SqliteStatement _deleteEntriesTo;
    private readonly SqliteStatement _selectEntriesFrom;
    private readonly SqliteStatement _selectEntriesDescending;
    private readonly SqliteStatement _upsertState;
    private readonly SqliteStatement _upsertSnapshot;
    private readonly SqliteStatement _deleteSnapshot;
    private readonly SqliteStatement _deleteSnapshots;

    public SqliteWriterSession(string databasePath, ILogger logger)
    {
        _logger = logger;
        _connection = new SqliteConnection(SqliteDataDirectory.ConnectionString(databasePath, SqliteOpenMode.ReadWrite));
        try
        {
            _connection.Open();
            using (var pragmas = _connection.CreateCommand())
            {
                // synchronous=FULL: each commit fsyncs the WAL, so a completed write survives power loss.
                // busy_timeout: waits out other connections (e.g. a checkpointing reader) instead of failing.
                pragmas.CommandText = """
                    PRAGMA journal_mode = WAL;
                    PRAGMA synchronous = FULL;
                    PRAGMA busy_timeout = 10000;
                    PRAGMA journal_size_limit = 67108864;
                    """;
                pragmas.ExecuteNonQuery();
            }

            _db = _connection.Handle ?? throw new InvalidOperationException("SQLite connection has no handle");
            _begin = Prepare("BEGIN IMMEDIATE");
            _commit = Prepare("COMMIT");
            _rollback = Prepare("ROLLBACK");
            _selectPersistenceId = Prepare("SELECT id, highest_sequence_nr FROM persistence_ids WHERE persistence_id = ?1");
            _insertPersistenceId = Prepare("INSERT INTO persistence_ids (persistence_id, highest_sequence_nr) VALUES (?1, 0)");
            _setHighest = Prepare("UPDATE persistence_ids SET highest_sequence_nr = ?2 WHERE id = ?1");
            _insertEntry = Prepare("INSERT INTO journal (pid, sequence_nr, crc, payload) VALUES (?1, ?2, ?3, ?4)");
            _deleteEntriesFrom = Prepare("DELETE FROM journal WHERE pid = ?1 AND sequence_nr >= ?2");
            _deleteEntriesTo = Prepare("DELETE FROM journal WHERE pid = ?1 AND sequence_nr <= ?2");
            _selectEntriesFrom = Prepare(
                "SELECT sequence_nr, crc, payload FROM journal WHERE pid = ?1 AND sequence_nr >= ?2 ORDER BY sequence_nr");
            _selectEntriesDescending = Prepare(
                "SELECT sequence_nr, crc, payload FROM journal WHERE pid = ?1 ORDER BY sequence_nr DESC");
            _upsertState = Prepare("""
                INSERT INTO journal_state (pid, name, crc, value) VALUES (?1, ?2, ?3, ?4)
                ON CONFLICT (pid, name) DO UPDATE SET crc = excluded.crc, value = excluded.value
                """);
            _upsertSnapshot = Prepare("""
                INSERT OR REPLACE INTO snapshots (persistence_id, sequence_nr, timestamp_ticks, crc, data)
                VALUES (?1, ?2, ?3, ?4, ?5)
                """);
            _deleteSnapshot = Prepare("DELETE FROM snapshots WHERE persistence_id = ?1 AND sequence_nr = ?2");
            _deleteSnapshots = Prepare("""
                DELETE FROM snapshots
                WHERE persistence_id = ?1 AND sequence_nr BETWEEN ?2 AND ?3 AND timestamp_ticks <= ?4
                """);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public void WriteBatch(IReadOnlyList<AtomicWrite> batch) =>
        InTransaction(batch, static (session, batch) =>
        {
            for (var w = 0; w < batch.Count; w++)
            {
                session.Write(batch[w]);
            }
        });

    public void DeleteTo(string persistenceId, long toSequenceNr)
    {
        if (TryGetPersistenceId(persistenceId, out var row))
        {
            InTransaction(
                (row.Id, toSequenceNr),
                static (session, args) => session._deleteEntriesTo.Bind(1, args.Id).Bind(2, args.toSequenceNr).Execute());
        }
    }

    /// <summary>At open: drops the run of entries failing their checksum at the end of every persistence id.</summary>
    public void RepairTornTails()
    {
        var ids = new List<(long Id, string PersistenceId)>();
        using (var command = _connection.CreateCommand())
        {
            command.CommandText = "SELECT id, persistence_id FROM persistence_ids";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                ids.Add((reader.GetInt64(0), reader.GetString(1)));
            }
        }

        InTransaction(ids, static (session, ids) =>
        {
            foreach (var (id, persistenceId) in ids)
            {
                var firstCorrupt = session.FirstOfCorruptTail(id);
                if (firstCorrupt > 0)
                {
                    session.Truncate(id, persistenceId, firstCorrupt);
                }
            }
        });
    }

    /// <summary>A replay met a corrupt entry: drop it and what follows if none of that is intact.</summary>
    public TailRepair RepairTailFrom(string persistenceId, long corruptSequenceNr)
    {
        if (!TryGetPersistenceId(persistenceId, out var row))
        {
            return TailRepair.Changed;
        }

        var outcome = TailRepair.Changed;
        InTransaction((row.Id, persistenceId, corruptSequenceNr), (session, args) =>
        {
            outcome = session.InspectFrom(args.Id, args.corruptSequenceNr);
            if (outcome == TailRepair.Truncated)
            {
                session.Truncate(args.Id, args.persistenceId, args.corruptSequenceNr);
            }
        });
        return outcome;
    }

    public void SaveSnapshot(SnapshotMetadata metadata, ReadOnlyMemory<byte> data) =>
        InTransaction((metadata, data), static (session, args) =>
        {
            var (metadata, data) = args;
            var ticks = metadata.Timestamp.UtcTicks;
            session._upsertSnapshot
                .Bind(1, metadata.PersistenceId)
                .Bind(2, metadata.SequenceNr)
                .Bind(3, ticks)
                .Bind(4, Checksums.Snapshot(metadata.SequenceNr, ticks, data.Span))
                .Bind(5, data.Span)
                .Execute();
        });

    public void DeleteSnapshot(string persistenceId, long sequenceNr) =>
        InTransaction(
            (persistenceId, sequenceNr),
            static (session, args) => session._deleteSnapshot.Bind(1, args.persistenceId).Bind(2, args.sequenceNr).Execute());

    public void DeleteSnapshots(string persistenceId, SnapshotSelectionCriteria criteria) =>
        InTransaction((persistenceId, criteria), static (session, args) =>
            session._deleteSnapshots
                .Bind(1, args.persistenceId)
                .Bind(2, args.criteria.MinSequenceNr)
                .Bind(3, args.criteria.MaxSequenceNr)
                .Bind(4, args.criteria.MaxTimestamp?.UtcTicks ?? long.MaxValue)
                .Execute());

    public void Dispose()
    {
        foreach (var statement in _statements)
        {
            statement.Dispose();
        }

        _statements.Clear();
        _connection.Dispose();
    }

    private void Write(AtomicWrite write)
    {
        var row = GetOrAddPersistenceId(write.PersistenceId);
        var entries = write.Entries;
        if (entries.Count > 0)
        {
            var first = entries[0].SequenceNr;
            if (first <= row.Highest)
            {
                // Raft overwrites a conflicting suffix: drop it in the same transaction.
                _deleteEntriesFrom.Bind(1, row.Id).Bind(2, first).Execute();
            }

            for (var i = 0; i < entries.Count; i++)
            {
                var entry = entries[i];
                var payload = entry.Payload.Span;
                _insertEntry
                    .Bind(1, row.Id)
                    .Bind(2, entry.SequenceNr)
                    .Bind(3, Checksums.Entry(entry.SequenceNr, payload))
                    .Bind(4, payload)
                    .Execute();
            }

            var last = entries[^1].SequenceNr;
            _setHighest.Bind(1, row.Id).Bind(2, last).Execute();
            row.Highest = last;
        }

        if (write.State is { Count: > 0 } state)
        {
            foreach (var (key, value) in state)
            {
                _upsertState
                    .Bind(1, row.Id)
                    .Bind(2, key)
                    .Bind(3, Checksums.State(key, value))
                    .Bind(4, value)
                    .Execute();
            }
        }
    }

    /// <summary>The lowest sequence number of the trailing run of corrupt entries, or 0 if the last entry is intact.</summary>
    private long FirstOfCorruptTail(long id)
    {
        long firstCorrupt = 0;
        _selectEntriesDescending.Bind(1, id);
        try
        {
            while (_selectEntriesDescending.Step())
            {
                var sequenceNr = _selectEntriesDescending.ColumnInt64(0);
                if (IsIntact(_selectEntriesDescending, sequenceNr))
                {
                    break;
                }

                firstCorrupt = sequenceNr;
            }
        }
        finally
        {
            _selectEntriesDescending.Reset();
        }

        return firstCorrupt;
    }

    private TailRepair InspectFrom(long id, long corruptSequenceNr)
    {
        _selectEntriesFrom.Bind(1, id).Bind(2, corruptSequenceNr);
        try
        {
            var first = true;
            while (_selectEntriesFrom.Step())
            {
                var sequenceNr = _selectEntriesFrom.ColumnInt64(0);
                var intact = IsIntact(_selectEntriesFrom, sequenceNr);
                if (first && (sequenceNr != corruptSequenceNr || intact))
                {
                    return TailRepair.Changed;
                }

                if (intact)
                {
                    return TailRepair.CorruptInMiddle;
                }

                first = false;
            }

            return first ? TailRepair.Changed : TailRepair.Truncated;
        }
        finally
        {
            _selectEntriesFrom.Reset();
        }
    }

    private void Truncate(long id, string persistenceId, long fromSequenceNr)
    {
        _deleteEntriesFrom.Bind(1, id).Bind(2, fromSequenceNr).Execute();
        _setHighest.Bind(1, id).Bind(2, fromSequenceNr - 1).Execute();
        if (_persistenceIds.TryGetValue(persistenceId, out var cached))
        {
            cached.Highest = fromSequenceNr - 1;
        }

        _logger.LogWarning(
            "journal of persistence id {PersistenceId} has a torn tail: entries from sequence number {SequenceNr} "
            + "fail their checksum; truncated them",
            persistenceId,
            fromSequenceNr);
    }

    private static bool IsIntact(SqliteStatement rows, long sequenceNr) =>
        (uint)rows.ColumnInt64(1) == Checksums.Entry(sequenceNr, rows.ColumnBlob(2));

    private PersistenceIdRow GetOrAddPersistenceId(string persistenceId)
    {
        if (TryGetPersistenceId(persistenceId, out var row))
        {
            return row;
        }

        _insertPersistenceId.Bind(1, persistenceId).Execute();
        row = new PersistenceIdRow(raw.sqlite3_last_insert_rowid(_db), 0);
        _persistenceIds[persistenceId] = row;
        return row;
    }

    private bool TryGetPersistenceId(string persistenceId, out PersistenceIdRow row)
    {
        if (_persistenceIds.TryGetValue(persistenceId, out row!))
        {
            return true;
        }

        _selectPersistenceId.Bind(1, persistenceId);
        try
        {
            if (!_selectPersistenceId.Step())
            {
                return false;
            }

            row = new PersistenceIdRow(_selectPersistenceId.ColumnInt64(0), _selectPersistenceId.ColumnInt64(1));
        }
        finally
        {
            _selectPersistenceId.Reset();
        }

        _persistenceIds[persistenceId] = row;
        return true;
    }

    /// <summary>
    /// Runs the body in one transaction (one fsync at commit). On failure it rolls back, unless SQLite already
    /// did, and forgets the cached rows the body may have changed.
    /// </summary>
    private void InTransaction<TState>(TState state, Action<SqliteWriterSession, TState> body)
    {
        _begin.Execute();
        try
        {
            body(this, state);
            _commit.Execute();
        }
        catch
        {
            _persistenceIds.Clear();
            if (raw.sqlite3_get_autocommit(_db) == 0)
            {
                _rollback.Execute();
            }

            throw;
        }
    }

    private SqliteStatement Prepare(string sql)
    {
        var statement = new SqliteStatement(_db, sql);
        _statements.Add(statement);
        return statement;
    }

    private sealed class PersistenceIdRow(long id, long highest)
    {
        public long Id { get; } = id;

        public long Highest { get; set; } = highest;
    }
}
