using System.Collections.Concurrent;

namespace ActorStore.Persistence.Embedded;

/// <summary>
/// Read connections lent to one caller at a time and kept for reuse, so their prepared statements survive.
/// WAL mode lets them read the last commit while the writer commits.
/// </summary>
internal sealed class ReadConnectionPool<TConnection>(Func<TConnection> open) : IDisposable
    where TConnection : class, IDisposable
{
    private readonly ConcurrentBag<TConnection> _idle = [];
    private volatile bool _disposed;

    /// <summary>Runs a short blocking read on the thread pool.</summary>
    public Task<T> RunAsync<T>(Func<TConnection, T> read, CancellationToken ct = default)
    {
        if (_disposed)
        {
            return Task.FromException<T>(new ObjectDisposedException(typeof(TConnection).Name, "the database is closed"));
        }

        return Task.Run(
            () =>
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                var connection = _idle.TryTake(out var idle) ? idle : open();
                try
                {
                    return read(connection);
                }
                finally
                {
                    _idle.Add(connection);
                    if (_disposed)
                    {
                        DisposeIdle();
                    }
                }
            },
            ct);
    }

    public void Dispose()
    {
        _disposed = true;
        DisposeIdle();
    }

    private void DisposeIdle()
    {
        while (_idle.TryTake(out var connection))
        {
            connection.Dispose();
        }
    }
}
