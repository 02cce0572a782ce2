namespace ActorStore.Persistence.Embedded;

/// <summary>
/// Runs all writes of one database on a dedicated thread (blocking SQLite calls and fsyncs never hold thread-pool
/// threads). Work queued while a commit is under way is joined into the next transaction, each caller's work in
/// its own savepoint: a burst of writes costs one fsync, and one caller's failure does not fail the others.
/// Callers learn their outcome only after the commit, on the writer thread: what they continue with must be short
/// and must never wait for this writer.
/// </summary>
internal sealed class GroupCommitWriter<TSession>
    where TSession : SqliteSession
{
    // A plain monitor rather than a BlockingCollection: the latter spins (sched_yield) before it sleeps, and on two
    // busy cores the writer thread's spinning cost a context switch per durable write.
    private readonly Queue<Work> _queue = new();
    private readonly object _gate = new();
    private bool _addingCompleted;
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<TSession?> _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<TSession> _open;
    private readonly int _maxCallsPerTransaction;
    private long _commits;

    public GroupCommitWriter(string threadName, Func<TSession> open, int maxCallsPerTransaction)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCallsPerTransaction, 1);
        _open = open;
        _maxCallsPerTransaction = maxCallsPerTransaction;
        new Thread(Run) { IsBackground = true, Name = threadName }.Start();
    }

    /// <summary>Completes when the database is open (and recovered), or fails with why it could not be.</summary>
    public Task Opened => _opened.Task;

    /// <summary>Transactions committed so far (each is one fsync): shows how well calls are grouped.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Queues work; the task completes after the transaction that ran it committed.</summary>
    public Task<T> RunAsync<T>(Func<TSession, T> work) => Enqueue(new Work<T>(work));

    /// <summary>Accepts no more work; completes, with the session for the caller to close, once the queue is drained.</summary>
    public Task<TSession?> StopAsync()
    {
        lock (_gate)
        {
            _addingCompleted = true;
            Monitor.Pulse(_gate);
        }
        return _stopped.Task;
    }

    private Task<T> Enqueue<T>(Work<T> work)
    {
        bool accepted;
        lock (_gate)
        {
            accepted = !_addingCompleted;
            if (accepted)
            {
                _queue.Enqueue(work);
                if (_queue.Count == 1)
                {
                    Monitor.Pulse(_gate);
                }
            }
        }
        if (!accepted)
        {
            work.Fail(new ObjectDisposedException(typeof(TSession).Name, "the database is closed"));
        }

        return work.Task;
    }

    private void Run()
    {
        TSession? session = null;
        Exception? openError = null;
        try
        {
            try
            {
                session = _open();
                _opened.TrySetResult();
            }
            catch (Exception e)
            {
                openError = e;
                _opened.TrySetException(e);
            }

            var group = new List<Work>(_maxCallsPerTransaction);
            while (TakeGroup(group))
            {
                if (session is null)
                {
                    group.ForEach(work => work.Fail(openError!));
                    continue;
                }

                RunGroup(session, group);
            }
        }
        finally
        {
            _stopped.TrySetResult(session);
        }
    }

    /// <summary>Waits for work and takes up to a transaction's worth; false once stopped and drained.</summary>
    private bool TakeGroup(List<Work> group)
    {
        group.Clear();
        lock (_gate)
        {
            while (_queue.Count == 0)
            {
                if (_addingCompleted)
                {
                    return false;
                }
                Monitor.Wait(_gate);
            }
            while (group.Count < _maxCallsPerTransaction && _queue.TryDequeue(out var next))
            {
                group.Add(next);
            }
        }
        return true;
    }

    private void RunGroup(TSession session, List<Work> group)
    {
        try
        {
            session.Begin();
        }
        catch (Exception e)
        {
            group.ForEach(work => work.Fail(e));
            return;
        }

        for (var i = 0; i < group.Count; i++)
        {
            var work = group[i];
            try
            {
                session.Savepoint();
                work.Execute(session);
                session.ReleaseSavepoint();
            }
            catch (Exception e)
            {
                work.Error = e;
                if (!TryUndo(session))
                {
                    // SQLite dropped the whole transaction: the work before this one is gone as well.
                    FailAll(group, e);
                    return;
                }
            }
        }

        try
        {
            session.Commit();
        }
        catch (Exception e)
        {
            TryRollback(session);
            FailAll(group, e);
            return;
        }

        Interlocked.Increment(ref _commits);
        group.ForEach(work => work.Complete());
    }

    private static bool TryUndo(TSession session)
    {
        if (!session.InTransaction)
        {
            return false;
        }

        try
        {
            session.UndoSavepoint();
            return true;
        }
        catch
        {
            TryRollback(session);
            return false;
        }
    }

    private static void TryRollback(TSession session)
    {
        try
        {
            session.Rollback();
        }
        catch
        {
            // The transaction is lost either way; the callers are told through their own tasks.
        }
    }

    private static void FailAll(List<Work> group, Exception error)
    {
        foreach (var work in group)
        {
            work.Fail(work.Error ?? error);
        }
    }

    private abstract class Work
    {
        public Exception? Error { get; set; }

        public abstract void Execute(TSession session);

        public abstract void Complete();

        public abstract void Fail(Exception error);
    }

    private sealed class Work<T>(Func<TSession, T> work) : Work
    {
        // Continuations run on the writer thread as it completes the group: the journal's only hand the outcome to an
        // actor, and a hop through the thread pool here would add a thread wake-up to every durable write.
        private readonly TaskCompletionSource<T> _completion = new();
        private T? _result;

        public Task<T> Task => _completion.Task;

        public override void Execute(TSession session) => _result = work(session);

        public override void Complete()
        {
            if (Error is { } error)
            {
                _completion.TrySetException(error);
            }
            else
            {
                _completion.TrySetResult(_result!);
            }
        }

        public override void Fail(Exception error) => _completion.TrySetException(error);
    }
}
