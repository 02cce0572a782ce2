using ActorStore.Persistence.Sqlite;
using SQLitePCL;

namespace ActorStore.Persistence.Embedded;

/// <summary>The journal database's writer connection: appends events, deletes prefixes, repairs torn tails.</summary>
internal sealed class JournalSession : SqliteSession
{
    private readonly Dictionary<string, PersistenceIdRow> _persistenceIds = new(StringComparer.Ordinal);
    private readonly SqliteStatement _selectPersistenceId;
    private readonly SqliteStatement _insertPersistenceId;
    private readonly SqliteStatement _setHighest;
    private readonly SqliteStatement _insertEvent;
    private readonly SqliteStatement _deleteFrom;
    private readonly SqliteStatement _deleteTo;
    private readonly SqliteStatement _selectDescending;

    public JournalSession(string databasePath)
        : base(databasePath)
    {
        _selectPersistenceId = Prepare("SELECT id, highest_sequence_nr FROM persistence_ids WHERE persistence_id = ?1");
        _insertPersistenceId = Prepare("INSERT INTO persistence_ids (persistence_id, highest_sequence_nr) VALUES (?1, 0)");
        _setHighest = Prepare("UPDATE persistence_ids SET highest_sequence_nr = ?2 WHERE id = ?1");
        _insertEvent = Prepare("""
            INSERT INTO events (pid, sequence_nr, timestamp_ticks, writer_uuid, event_manifest, serializer_id,
                                serializer_manifest, crc, payload)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
            """);
        _deleteFrom = Prepare("DELETE FROM events WHERE pid = ?1 AND sequence_nr >= ?2");
        _deleteTo = Prepare("DELETE FROM events WHERE pid = ?1 AND sequence_nr <= ?2");
        _selectDescending = Prepare(
            """
            SELECT sequence_nr, timestamp_ticks, writer_uuid, event_manifest, serializer_id, serializer_manifest, crc, payload
            FROM events WHERE pid = ?1 ORDER BY sequence_nr DESC
            """);
    }

    /// <summary>Appends every event (a duplicate sequence number fails the call: events are never overwritten).</summary>
    public bool Append(IReadOnlyList<EventRecord> events)
    {
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            var row = GetOrAddPersistenceId(e.PersistenceId);
            _insertEvent
                .Bind(1, row.Id)
                .Bind(2, e.SequenceNr)
                .Bind(3, e.TimestampTicks)
                .Bind(4, e.WriterUuid)
                .Bind(5, e.EventManifest)
                .Bind(6, e.SerializerId)
                .Bind(7, e.SerializerManifest)
                .Bind(8, e.Checksum())
                .Bind(9, e.Payload)
                .Execute();
            if (e.SequenceNr > row.Highest)
            {
                _setHighest.Bind(1, row.Id).Bind(2, e.SequenceNr).Execute();
                row.Highest = e.SequenceNr;
            }
        }

        return true;
    }

    /// <summary>Removes events up to and including the bound; the highest sequence number stays recorded.</summary>
    public bool DeleteTo(string persistenceId, long toSequenceNr)
    {
        if (TryGetPersistenceId(persistenceId, out var row))
        {
            _deleteTo.Bind(1, row.Id).Bind(2, toSequenceNr).Execute();
        }

        return true;
    }

    /// <summary>
    /// At open: for every persistence id, drops the trailing run of rows that fail their checksum (a write torn by a
    /// crash that SQLite's own recovery did not catch). Returns one line per repair, for the log.
    /// </summary>
    public List<string> RepairTornTails()
    {
        var ids = new List<(long Id, string PersistenceId)>();
        using (var command = Connection.CreateCommand())
        {
            command.CommandText = "SELECT id, persistence_id FROM persistence_ids";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                ids.Add((reader.GetInt64(0), reader.GetString(1)));
            }
        }

        var repairs = new List<string>();
        foreach (var (id, persistenceId) in ids)
        {
            var (firstCorrupt, count) = FindCorruptTail(id);
            if (count > 0)
            {
                _deleteFrom.Bind(1, id).Bind(2, firstCorrupt).Execute();
                _setHighest.Bind(1, id).Bind(2, firstCorrupt - 1).Execute();
                repairs.Add(
                    $"journal of persistence id '{persistenceId}' had a torn tail: {count} event(s) from sequence number "
                    + $"{firstCorrupt} failed their checksum and were truncated");
            }
        }

        ForgetCaches();
        return repairs;
    }

    protected override void ForgetCaches() => _persistenceIds.Clear();

    private (long FirstCorrupt, long Count) FindCorruptTail(long id)
    {
        long firstCorrupt = 0;
        long count = 0;
        _selectDescending.Bind(1, id);
        try
        {
            while (_selectDescending.Step())
            {
                var s = _selectDescending;
                var sequenceNr = s.ColumnInt64(0);
                var crc = Checksums.Event(
                    sequenceNr,
                    s.ColumnInt64(1),
                    s.ColumnText(2),
                    s.ColumnText(3),
                    (int)s.ColumnInt64(4),
                    s.ColumnText(5),
                    s.ColumnBlob(7));
                if ((uint)s.ColumnInt64(6) == crc)
                {
                    break;
                }

                firstCorrupt = sequenceNr;
                count++;
            }
        }
        finally
        {
            _selectDescending.Reset();
        }

        return (firstCorrupt, count);
    }

    private PersistenceIdRow GetOrAddPersistenceId(string persistenceId)
    {
        if (TryGetPersistenceId(persistenceId, out var row))
        {
            return row;
        }

        _insertPersistenceId.Bind(1, persistenceId).Execute();
        row = new PersistenceIdRow(raw.sqlite3_last_insert_rowid(Db), 0);
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

    private sealed class PersistenceIdRow(long id, long highest)
    {
        public long Id { get; } = id;

        public long Highest { get; set; } = highest;
    }
}
