using ActorStore.Persistence.Sqlite;

namespace ActorStore.Persistence.Embedded;

/// <summary>
/// The journal database of one data dir: opened, validated and recovered on its writer thread; writes are group
/// committed there, reads run on pooled read connections once the database is open.
/// </summary>
internal sealed class JournalStore : IAsyncDisposable
{
    private readonly GroupCommitWriter<JournalSession> _writer;
    private readonly ReadConnectionPool<JournalReadConnection> _readers;
    private SqliteDataDirectory? _directory;
    private int _disposed;

    /// <param name="dataDir">Absolute path of the data dir.</param>
    /// <param name="maxCallsPerTransaction">How many queued write calls one transaction may join.</param>
    /// <param name="warn">Receives the lines to log as warnings (torn tails cut at open).</param>
    public JournalStore(string dataDir, int maxCallsPerTransaction, Action<string> warn)
    {
        DatabasePath = Path.Combine(dataDir, SqliteSchema.MemberDirectory, EmbeddedSchema.JournalLayout.DatabaseFileName);
        _readers = new ReadConnectionPool<JournalReadConnection>(() => new JournalReadConnection(DatabasePath));
        _writer = new GroupCommitWriter<JournalSession>(
            "actorstore-journal-writer",
            () => Open(dataDir, warn),
            maxCallsPerTransaction);
    }

    public string DatabasePath { get; }

    /// <summary>Write transactions committed since open (the recovery at open not counted).</summary>
    public long Commits => _writer.Commits;

    /// <summary>Completes once the database is open and its torn tails are cut; faults with why it cannot open.</summary>
    public Task Opened => _writer.Opened;

    /// <summary>Durably appends every event in one transaction (shared with other callers' concurrent writes).</summary>
    public Task AppendAsync(IReadOnlyList<EventRecord> events) => _writer.RunAsync(session => session.Append(events));

    public Task DeleteToAsync(string persistenceId, long toSequenceNr) =>
        _writer.RunAsync(session => session.DeleteTo(persistenceId, toSequenceNr));

    public async Task<long> ReadHighestSequenceNrAsync(string persistenceId)
    {
        await _writer.Opened.ConfigureAwait(false);
        return await _readers.RunAsync(connection => connection.ReadHighest(persistenceId)).ConfigureAwait(false);
    }

    public async Task<long> ReplayAsync(
        string persistenceId,
        long fromSequenceNr,
        long toSequenceNr,
        long max,
        Action<EventRecord> onEvent,
        CancellationToken ct = default)
    {
        if (max <= 0 || fromSequenceNr > toSequenceNr)
        {
            return 0;
        }

        await _writer.Opened.ConfigureAwait(false);
        return await _readers.RunAsync(
            connection => connection.Replay(persistenceId, fromSequenceNr, toSequenceNr, max, onEvent, ct),
            ct).ConfigureAwait(false);
    }

    /// <summary>Lets queued writes finish, then closes readers before the writer so its close checkpoints the WAL.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        var session = await _writer.StopAsync().ConfigureAwait(false);
        _readers.Dispose();
        session?.Dispose();
        Volatile.Read(ref _directory)?.Dispose();
    }

    private JournalSession Open(string dataDir, Action<string> warn)
    {
        var directory = SqliteDataDirectory.Open(dataDir, EmbeddedSchema.JournalLayout);
        JournalSession? session = null;
        try
        {
            session = new JournalSession(directory.DatabasePath);
            session.Begin();
            var repairs = session.RepairTornTails();
            session.Commit();
            repairs.ForEach(warn);
            Volatile.Write(ref _directory, directory);
            return session;
        }
        catch
        {
            session?.Dispose();
            directory.Dispose();
            throw;
        }
    }
}
