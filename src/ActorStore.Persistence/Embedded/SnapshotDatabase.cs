using ActorStore.Persistence.Sqlite;

namespace ActorStore.Persistence.Embedded;

/// <summary>The snapshot database of one data dir; all access on its writer thread.</summary>
internal sealed class SnapshotDatabase : IAsyncDisposable
{
    private readonly GroupCommitWriter<SnapshotSession> _writer;
    private SqliteDataDirectory? _directory;
    private int _disposed;

    public SnapshotDatabase(string dataDir)
    {
        _writer = new GroupCommitWriter<SnapshotSession>("actorstore-snapshot-writer", () => Open(dataDir), 64);
    }

    public Task Opened => _writer.Opened;

    public Task SaveAsync(SnapshotRecord snapshot) => _writer.RunAsync(session => session.Save(snapshot));

    public Task DeleteAsync(string persistenceId, long sequenceNr) =>
        _writer.RunAsync(session => session.Delete(persistenceId, sequenceNr));

    public Task DeleteMatchingAsync(string persistenceId, SnapshotRange range) =>
        _writer.RunAsync(session => session.DeleteMatching(persistenceId, range));

    public Task<SnapshotRecord?> LoadLatestAsync(string persistenceId, SnapshotRange range, Action<long> skipped) =>
        _writer.RunAsync(session => session.LoadLatest(persistenceId, range, skipped));

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        (await _writer.StopAsync().ConfigureAwait(false))?.Dispose();
        Volatile.Read(ref _directory)?.Dispose();
    }

    private SnapshotSession Open(string dataDir)
    {
        var directory = SqliteDataDirectory.Open(dataDir, EmbeddedSchema.SnapshotLayout);
        try
        {
            var session = new SnapshotSession(directory.DatabasePath);
            Volatile.Write(ref _directory, directory);
            return session;
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }
}
