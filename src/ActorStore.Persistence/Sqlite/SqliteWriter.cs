using System.Collections.Concurrent;

namespace ActorStore.Persistence.Sqlite;

/// <summary>
/// Runs every write on one dedicated thread, in the order the calls were made, so blocking SQLite calls
/// and fsyncs never occupy thread-pool threads and never interleave.
/// </summary>
internal sealed class SqliteWriter
{
    private readonly BlockingCollection<WriterWork> _queue = new();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SqliteWriterSession _session;

    public SqliteWriter(SqliteWriterSession session)
    {
        _session = session;
        var thread = new Thread(Run) { IsBackground = true, Name = "actorstore-sqlite-writer" };
        thread.Start();
    }

    /// <summary>Queues work; the task completes when it has run (and its transaction is committed).</summary>
    public Task<T> RunAsync<T>(Func<SqliteWriterSession, T> work, CancellationToken ct) =>
        ct.IsCancellationRequested ? Task.FromCanceled<T>(ct) : Enqueue(new WriterFunction<T>(work, ct));

    /// <summary>Queues work that returns nothing; completes like <see cref="RunAsync{T}"/>.</summary>
    public Task RunAsync(Action<SqliteWriterSession> work, CancellationToken ct) =>
        ct.IsCancellationRequested ? Task.FromCanceled(ct) : Enqueue(new WriterAction(work, ct));

    /// <summary>Accepts no more work; completes when everything queued before has run.</summary>
    public Task StopAsync()
    {
        _queue.CompleteAdding();
        return _stopped.Task;
    }

    private void Run()
    {
        try
        {
            foreach (var item in _queue.GetConsumingEnumerable())
            {
                item.Run(_session);
            }
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    private TTask Enqueue<TTask>(WriterWork<TTask> item)
        where TTask : Task
    {
        try
        {
            _queue.Add(item, CancellationToken.None);
            return item.Task;
        }
        catch (InvalidOperationException)
        {
            // Added after StopAsync: fail the item's own task so callers see the usual exception type.
            item.Fail(new ObjectDisposedException(nameof(SqlitePersistence)));
            return item.Task;
        }
    }

    private abstract class WriterWork
    {
        public abstract void Run(SqliteWriterSession session);
    }

    private abstract class WriterWork<TTask>(CancellationToken ct) : WriterWork
        where TTask : Task
    {
        public abstract TTask Task { get; }

        public abstract void Fail(Exception error);

        public sealed override void Run(SqliteWriterSession session)
        {
            // A caller that gave up before its turn gets nothing written; once started, work runs to the end.
            if (ct.IsCancellationRequested)
            {
                Cancel(ct);
                return;
            }

            try
            {
                Execute(session);
            }
            catch (Exception e)
            {
                Fail(e);
            }
        }

        protected abstract void Execute(SqliteWriterSession session);

        protected abstract void Cancel(CancellationToken token);
    }

    private sealed class WriterFunction<T>(Func<SqliteWriterSession, T> work, CancellationToken ct) : WriterWork<Task<T>>(ct)
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override Task<T> Task => _completion.Task;

        public override void Fail(Exception error) => _completion.TrySetException(error);

        protected override void Execute(SqliteWriterSession session) => _completion.TrySetResult(work(session));

        protected override void Cancel(CancellationToken token) => _completion.TrySetCanceled(token);
    }

    private sealed class WriterAction(Action<SqliteWriterSession> work, CancellationToken ct) : WriterWork<Task>(ct)
    {
        private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override Task Task => _completion.Task;

        public override void Fail(Exception error) => _completion.TrySetException(error);

        protected override void Execute(SqliteWriterSession session)
        {
            work(session);
            _completion.TrySetResult();
        }

        protected override void Cancel(CancellationToken token) => _completion.TrySetCanceled(token);
    }
}
