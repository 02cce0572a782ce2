using System.Collections.Concurrent;

namespace ActorStore.Persistence.Sqlite;

/// <summary>
/// Read connections handed to one caller at a time and kept for reuse, so prepared statements survive between
/// calls. Reads run on the thread pool: they are short and never wait for the writer.
/// </summary>
internal sealed class SqliteReaderPool(string databasePath) : IDisposable
{
    private readonly ConcurrentBag<SqliteReadConnection> _idle = [];
    private volatile bool _disposed;

    public Task<T> RunAsync<T>(Func<SqliteReadConnection, T> read, CancellationToken ct)
    {
        if (_disposed)
        {
            return Task.FromException<T>(new ObjectDisposedException(nameof(SqlitePersistence)));
        }

        return Task.Run(
            () =>
            {
                var connection = Rent();
                try
                {
                    return read(connection);
                }
                finally
                {
                    Return(connection);
                }
            },
            ct);
    }

    public void Dispose()
    {
        _disposed = true;
        DisposeIdle();
    }

    private SqliteReadConnection Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _idle.TryTake(out var connection) ? connection : new SqliteReadConnection(databasePath);
    }

    private void Return(SqliteReadConnection connection)
    {
        _idle.Add(connection);
        if (_disposed)
        {
            DisposeIdle();
        }
    }

    private void DisposeIdle()
    {
        while (_idle.TryTake(out var connection))
        {
            connection.Dispose();
        }
    }
}
