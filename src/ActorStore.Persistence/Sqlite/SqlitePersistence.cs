using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorStore.Persistence.Sqlite;

/// <summary>
/// The embedded persistence plugin: journal and snapshot store in one SQLite database,
/// <c>&lt;dataDir&gt;/member/actorstore.db</c> (WAL mode, every commit fsync'd, one writer thread).
/// The database closes when this object is disposed, or when both the journal and the snapshot store are.
/// </summary>
public sealed class SqlitePersistence : IAsyncDisposable
{
    private readonly SqliteDataDirectory _directory;
    private readonly SqliteWriterSession _session;
    private readonly SqliteWriter _writer;
    private readonly SqliteReaderPool _readers;
    private int _openParts = 2;
    private int _disposed;

    private SqlitePersistence(
        SqliteDataDirectory directory,
        SqliteWriterSession session,
        SqliteWriter writer,
        ILoggerFactory loggers)
    {
        _directory = directory;
        _session = session;
        _writer = writer;
        _readers = new SqliteReaderPool(directory.DatabasePath);
        Journal = new SqliteJournal(this, writer, _readers);
        SnapshotStore = new SqliteSnapshotStore(
            this, writer, _readers, loggers.CreateLogger("ActorStore.Persistence.Sqlite.SqliteSnapshotStore"));
    }

    public IJournal Journal { get; }

    public ISnapshotStore SnapshotStore { get; }

    public string DatabasePath => _directory.DatabasePath;

    /// <summary>Bytes on disk: the database file plus its write-ahead log.</summary>
    public long DatabaseSizeBytes => FileLength(DatabasePath) + FileLength(DatabasePath + "-wal");

    /// <summary>
    /// Opens (initializing if empty or missing) the database of a data dir. Throws <see cref="DataDirException"/>
    /// when the directory holds anything else (e.g. an etcd data dir), without modifying it, or is in use.
    /// A corrupt tail of any persistence id is truncated here, with a logged warning.
    /// </summary>
    public static async Task<SqlitePersistence> OpenAsync(
        string dataDir,
        ILoggerFactory? loggers = null,
        CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDir);
        loggers ??= NullLoggerFactory.Instance;
        var fullPath = Path.GetFullPath(dataDir);
        var journalLogger = loggers.CreateLogger("ActorStore.Persistence.Sqlite.SqliteJournal");

        var (directory, session) = await Task.Run(
            () =>
            {
                var directory = SqliteDataDirectory.Open(fullPath);
                try
                {
                    return (directory, new SqliteWriterSession(directory.DatabasePath, journalLogger));
                }
                catch
                {
                    directory.Dispose();
                    throw;
                }
            },
            ct).ConfigureAwait(false);

        var writer = new SqliteWriter(session);
        var persistence = new SqlitePersistence(directory, session, writer, loggers);
        try
        {
            await writer.RunAsync(s => s.RepairTornTails(), ct).ConfigureAwait(false);
            return persistence;
        }
        catch
        {
            await persistence.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _writer.StopAsync().ConfigureAwait(false);

        // Readers close first so the writer's close is the last one and checkpoints the WAL into the database.
        _readers.Dispose();
        await Task.Run(_session.Dispose).ConfigureAwait(false);
        _directory.Dispose();
    }

    internal ValueTask ReleasePartAsync() =>
        Interlocked.Decrement(ref _openParts) == 0 ? DisposeAsync() : ValueTask.CompletedTask;

    private static long FileLength(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? file.Length : 0;
    }
}
