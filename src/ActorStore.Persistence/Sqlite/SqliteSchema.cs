namespace ActorStore.Persistence.Sqlite;

/// <summary>The database layout (format "actorstore", version 1).</summary>
internal static class SqliteSchema
{
    public const string FormatName = "actorstore";
    public const int FormatVersion = 1;

    public const string MemberDirectory = "member";
    public const string DatabaseFileName = "actorstore.db";
    public const string LockFileName = "actorstore.lock";

    /// <summary>A new database is built under this name and renamed into place once complete.</summary>
    public const string InitializingFileName = "actorstore.db.init";

    // Journal rows live in a rowid table with a separate (pid, sequence_nr) index rather than a WITHOUT ROWID
    // table: payloads of a few KiB would overflow the narrow cells of an index b-tree.
    // persistence_ids maps the text id to a small integer and keeps the highest sequence number, which must
    // survive DeleteTo of every entry.
    public const string Create = """
        CREATE TABLE meta (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL);
        CREATE TABLE persistence_ids (
            id INTEGER PRIMARY KEY,
            persistence_id TEXT NOT NULL UNIQUE,
            highest_sequence_nr INTEGER NOT NULL);
        CREATE TABLE journal (
            pid INTEGER NOT NULL,
            sequence_nr INTEGER NOT NULL,
            crc INTEGER NOT NULL,
            payload BLOB NOT NULL);
        CREATE UNIQUE INDEX journal_by_sequence_nr ON journal (pid, sequence_nr);
        CREATE TABLE journal_state (
            pid INTEGER NOT NULL,
            name TEXT NOT NULL,
            crc INTEGER NOT NULL,
            value BLOB NOT NULL,
            PRIMARY KEY (pid, name));
        CREATE TABLE snapshots (
            persistence_id TEXT NOT NULL,
            sequence_nr INTEGER NOT NULL,
            timestamp_ticks INTEGER NOT NULL,
            crc INTEGER NOT NULL,
            data BLOB NOT NULL,
            PRIMARY KEY (persistence_id, sequence_nr));
        """;

    /// <summary>
    /// This format's place in a data dir. The Akka plugins' databases mark a newer format: this code must not
    /// start a second, empty log next to them.
    /// </summary>
    public static SqliteLayout Layout { get; } = new(
        DatabaseFileName,
        LockFileName,
        FormatName,
        FormatVersion,
        Create,
        [
            (Embedded.EmbeddedSchema.JournalLayout.DatabaseFileName, NewerFormat),
            (Embedded.EmbeddedSchema.SnapshotLayout.DatabaseFileName, NewerFormat),
        ]);

    private const string NewerFormat = "a newer ActorStore format (Akka.Persistence journal) that this code does not read";

    public const string PidOf = "(SELECT id FROM persistence_ids WHERE persistence_id = $persistence_id)";
}
