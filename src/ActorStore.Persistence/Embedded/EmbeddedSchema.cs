using ActorStore.Persistence.Sqlite;

namespace ActorStore.Persistence.Embedded;

/// <summary>
/// The two databases of the embedded Akka.Persistence plugins, each in the data dir's member directory:
/// journal.db (events) and snapshots.db. Separate files keep a large snapshot from delaying journal commits.
/// </summary>
internal static class EmbeddedSchema
{
    public const string JournalFormat = "actorstore-akka-journal";
    public const string SnapshotFormat = "actorstore-akka-snapshots";

    private const string EarlierBuild =
        "a data dir of an earlier ActorStore build (format 'actorstore' version 1, before the Akka.Persistence "
        + "journal), which this build cannot read or convert; restore the member from a peer or use a new data dir";

    // Rows keep Akka's serialization triple (serializer id, serializer manifest, bytes) plus the persistent
    // representation's own fields, and a CRC-32C over all of them. persistence_ids keeps the highest sequence
    // number, which must stay readable after DeleteMessagesTo removed every event.
    private const string JournalDdl = """
        CREATE TABLE meta (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL);
        CREATE TABLE persistence_ids (
            id INTEGER PRIMARY KEY,
            persistence_id TEXT NOT NULL UNIQUE,
            highest_sequence_nr INTEGER NOT NULL);
        CREATE TABLE events (
            pid INTEGER NOT NULL,
            sequence_nr INTEGER NOT NULL,
            timestamp_ticks INTEGER NOT NULL,
            writer_uuid TEXT NOT NULL,
            event_manifest TEXT NOT NULL,
            serializer_id INTEGER NOT NULL,
            serializer_manifest TEXT NOT NULL,
            crc INTEGER NOT NULL,
            payload BLOB NOT NULL);
        CREATE UNIQUE INDEX events_by_sequence_nr ON events (pid, sequence_nr);
        """;

    private const string SnapshotDdl = """
        CREATE TABLE meta (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL);
        CREATE TABLE snapshots (
            persistence_id TEXT NOT NULL,
            sequence_nr INTEGER NOT NULL,
            timestamp_ticks INTEGER NOT NULL,
            serializer_id INTEGER NOT NULL,
            serializer_manifest TEXT NOT NULL,
            crc INTEGER NOT NULL,
            data BLOB NOT NULL,
            PRIMARY KEY (persistence_id, sequence_nr));
        """;

    // A plugin actor restarted after a failure reopens while its predecessor may still be closing.
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(5);

    public static SqliteLayout JournalLayout { get; } = new(
        "journal.db",
        "journal.lock",
        JournalFormat,
        1,
        JournalDdl,
        [(SqliteSchema.DatabaseFileName, EarlierBuild)],
        LockWait);

    public static SqliteLayout SnapshotLayout { get; } = new(
        "snapshots.db",
        "snapshots.lock",
        SnapshotFormat,
        1,
        SnapshotDdl,
        [(SqliteSchema.DatabaseFileName, EarlierBuild)],
        LockWait);
}
