using ActorStore.Persistence.Sqlite;
using SQLitePCL;

namespace ActorStore.Persistence.Embedded;

/// <summary>
/// The snapshot database's only connection. Snapshots are few and large, so loads run on the writer thread too
/// and no read pool is kept.
/// </summary>
internal sealed class SnapshotSession : SqliteSession
{
    private readonly SqliteStatement _upsert;
    private readonly SqliteStatement _deleteOne;
    private readonly SqliteStatement _deleteMatching;
    private readonly SqliteStatement _selectMatching;

    public SnapshotSession(string databasePath)
        : base(databasePath, rollbackJournal: true)
    {
        _upsert = Prepare("""
            INSERT OR REPLACE INTO snapshots
                (persistence_id, sequence_nr, timestamp_ticks, serializer_id, serializer_manifest, crc, data)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            """);
        _deleteOne = Prepare("DELETE FROM snapshots WHERE persistence_id = ?1 AND sequence_nr = ?2");
        _deleteMatching = Prepare("""
            DELETE FROM snapshots
            WHERE persistence_id = ?1 AND sequence_nr BETWEEN ?2 AND ?3 AND timestamp_ticks BETWEEN ?4 AND ?5
            """);
        _selectMatching = Prepare("""
            SELECT sequence_nr, timestamp_ticks, serializer_id, serializer_manifest, crc, data FROM snapshots
            WHERE persistence_id = ?1 AND sequence_nr BETWEEN ?2 AND ?3 AND timestamp_ticks BETWEEN ?4 AND ?5
            ORDER BY sequence_nr DESC
            """);
    }

    /// <summary>Stores the snapshot, replacing one of the same persistence id and sequence number.</summary>
    public bool Save(SnapshotRecord snapshot)
    {
        _upsert
            .Bind(1, snapshot.PersistenceId)
            .Bind(2, snapshot.SequenceNr)
            .Bind(3, snapshot.TimestampTicks)
            .Bind(4, snapshot.SerializerId)
            .Bind(5, snapshot.SerializerManifest)
            .Bind(6, snapshot.Checksum())
            .BindZeroBlob(7, snapshot.Data.Length)
            .Execute();
        SqliteBlobWriter.Write(Db, "snapshots", "data", raw.sqlite3_last_insert_rowid(Db), snapshot.Data);
        return true;
    }

    public bool Delete(string persistenceId, long sequenceNr)
    {
        _deleteOne.Bind(1, persistenceId).Bind(2, sequenceNr).Execute();
        return true;
    }

    public bool DeleteMatching(string persistenceId, SnapshotRange range)
    {
        Bind(_deleteMatching, persistenceId, range).Execute();
        return true;
    }

    /// <summary>
    /// The newest matching snapshot whose checksum holds; each damaged one passed over is reported through
    /// <paramref name="skipped"/>, and an older one is tried.
    /// </summary>
    public SnapshotRecord? LoadLatest(string persistenceId, SnapshotRange range, Action<long> skipped)
    {
        var rows = Bind(_selectMatching, persistenceId, range);
        try
        {
            while (rows.Step())
            {
                var record = new SnapshotRecord(
                    persistenceId,
                    rows.ColumnInt64(0),
                    rows.ColumnInt64(1),
                    (int)rows.ColumnInt64(2),
                    rows.ColumnText(3),
                    rows.ColumnBlob(5).ToArray());
                if ((uint)rows.ColumnInt64(4) == record.Checksum())
                {
                    return record;
                }

                skipped(record.SequenceNr);
            }

            return null;
        }
        finally
        {
            rows.Reset();
        }
    }

    private static SqliteStatement Bind(SqliteStatement statement, string persistenceId, SnapshotRange range) =>
        statement
            .Bind(1, persistenceId)
            .Bind(2, range.MinSequenceNr)
            .Bind(3, range.MaxSequenceNr)
            .Bind(4, range.MinTimestampTicks)
            .Bind(5, range.MaxTimestampTicks);
}
