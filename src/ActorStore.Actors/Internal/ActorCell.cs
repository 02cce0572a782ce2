using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ActorStore.Actors;

/// <summary>
/// The runtime side of one actor: its ref, mailbox, scheduling, lifecycle, children, supervision and death watch.
/// Message handling happens in <see cref="Execute"/>, which runs on the thread pool, at most once at a time.
/// </summary>
internal sealed partial class ActorCell : InternalActorRef, IActorContext, IThreadPoolWorkItem
{
    private const int Initializing = 0;
    private const int Running = 1;
    private const int Terminating = 2;
    private const int Terminated = 3;

    private readonly ActorSystem _system;
    private readonly ActorCell? _parent;
    private readonly Props _props;
    private readonly int _throughput;
    private readonly ConcurrentQueue<Envelope> _mailbox = new();
    private readonly ConcurrentQueue<SystemMessage> _systemMailbox = new();

    // 1 while a run is queued or executing; the only synchronisation between senders and the run loop.
    private int _scheduled;
    private volatile int _lifecycle;

    // Owned by the run loop (one thread at a time; the _scheduled hand-off orders the accesses).
    private ActorBase? _actor;
    private int _incarnation;
    private Envelope _current;
    private bool _suspendedByFailure;
    private object? _failedMessage;
    private int _pendingTasks;
    private Exception? _recreateCause;
    private ILogger? _log;

    public ActorCell(ActorSystem system, ActorCell? parent, Props props, ActorPath path)
    {
        _system = system;
        _parent = parent;
        _props = props;
        Path = path;
        _throughput = props.MailboxThroughput ?? system.Settings.Throughput;
        _systemMailbox.Enqueue(CreateActor.Instance);
    }

    public override ActorPath Path { get; }

    public override ActorSystem System => _system;

    public IActorRef Self => this;

    public IActorRef Sender => _current.Sender ?? _system.DeadLetters;

    internal IActorRef? CurrentSender => _current.Sender;

    public IActorRef Parent => (IActorRef?)_parent ?? ActorRefs.Nobody;

    public ILogger Log => _log ??= _system.LoggerFactory.CreateLogger(_props.ActorType.FullName ?? _props.ActorType.Name);

    internal bool IsTerminated => _lifecycle == Terminated;

    private bool CanProcessUserMessages =>
        _lifecycle == Running && !_suspendedByFailure && _pendingTasks == 0 && _recreateCause is null;

    public override void Tell(object message, IActorRef? sender = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_lifecycle == Terminated)
        {
            _system.PublishDeadLetter(message, sender, this);
            return;
        }
        _mailbox.Enqueue(new Envelope(message, sender));
        // Enqueue is a full fence, so either we see the run loop idle or it sees our message in its final recheck.
        if (Volatile.Read(ref _scheduled) == 0)
        {
            TrySchedule();
        }
    }

    public override void SendSystemMessage(SystemMessage message)
    {
        _systemMailbox.Enqueue(message);
        TrySchedule();
    }

    public override void Stop() => SendSystemMessage(TerminateActor.Instance);

    /// <summary>Makes the cell runnable; called once it is registered with its parent.</summary>
    internal void Start() => TrySchedule();

    /// <summary>For a child created while its parent is stopping: born dead, its messages go to dead letters.</summary>
    internal void MarkStillborn()
    {
        _systemMailbox.Clear();
        _lifecycle = Terminated;
    }

    private void TrySchedule()
    {
        if (Interlocked.CompareExchange(ref _scheduled, 1, 0) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    public void Execute()
    {
        try
        {
            if (_lifecycle != Terminated)
            {
                ProcessSystemMessages();
                var budget = _throughput;
                while (budget > 0 && CanProcessUserMessages && _mailbox.TryDequeue(out var envelope))
                {
                    budget--;
                    InvokeUser(envelope);
                    if (!_systemMailbox.IsEmpty)
                    {
                        ProcessSystemMessages();
                    }
                }
            }
            if (_lifecycle == Terminated)
            {
                DrainAfterTermination();
            }
        }
        catch (Exception ex)
        {
            // Handlers' exceptions are caught closer to them; reaching here means a runtime bug.
            _system.Log.LogCritical(ex, "Actor runtime failure in {Path}", Path);
        }
        finally
        {
            Interlocked.Exchange(ref _scheduled, 0);
            if (HasPendingWork())
            {
                TrySchedule();
            }
        }
    }

    private bool HasPendingWork() =>
        !_systemMailbox.IsEmpty || (!_mailbox.IsEmpty && (CanProcessUserMessages || _lifecycle == Terminated));

    private void ProcessSystemMessages()
    {
        while (_systemMailbox.TryDequeue(out var message))
        {
            if (_lifecycle == Terminated)
            {
                continue;
            }
            try
            {
                HandleSystemMessage(message);
            }
            catch (Exception ex)
            {
                _system.Log.LogError(ex, "Actor {Path} failed while handling {Signal}", Path, message.GetType().Name);
            }
        }
    }

    private void HandleSystemMessage(SystemMessage message)
    {
        switch (message)
        {
            case CreateActor:
                HandleCreate();
                break;
            case TerminateActor:
                HandleTerminate();
                break;
            case ChildFailed failed:
                HandleChildFailed(failed.Child, failed.Cause);
                break;
            case ChildStopped stopped:
                HandleChildStopped(stopped.Child);
                break;
            case WatchedActorTerminated terminated:
                HandleWatchedActorTerminated(terminated.Actor);
                break;
            case RunContinuation continuation:
                HandleContinuation(continuation);
                break;
            case TaskCompleted completed:
                HandleTaskCompleted(completed);
                break;
            case RecreateActor recreate:
                HandleRecreate(recreate.Cause);
                break;
            case ResumeActor:
                HandleResume();
                break;
        }
    }

    private void InvokeUser(in Envelope envelope)
    {
        _current = envelope;
        var message = envelope.Message;
        try
        {
            switch (message)
            {
                case PoisonPill:
                    HandleTerminate();
                    break;
                case Kill:
                    throw new ActorKilledException($"{Path} received Kill.");
                case ReceiveTimeoutCheck check:
                    HandleReceiveTimeoutCheck(check);
                    break;
                case TerminatedDelivery delivery:
                    DeliverTerminated(delivery.Actor);
                    break;
                default:
                    if (!_actor!.InvokeReceive(message))
                    {
                        _actor.InvokeUnhandled(message);
                    }
                    break;
            }
        }
        catch (Exception ex)
        {
            HandleInvokeFailure(ex, message);
        }
        finally
        {
            _current = default;
        }
        if (_receiveTimeout is not null && message is not ReceiveTimeoutCheck)
        {
            _lastActivity = _system.Scheduler.Elapsed;
        }
    }

    private void DrainAfterTermination()
    {
        _systemMailbox.Clear();
        while (_mailbox.TryDequeue(out var envelope))
        {
            if (envelope.Message is not (ReceiveTimeoutCheck or TerminatedDelivery))
            {
                _system.PublishDeadLetter(envelope.Message, envelope.Sender, this);
            }
        }
    }

    // ---- asynchronous handlers ----

    internal void RunTask(Func<Task> work)
    {
        var context = new ActorAsyncContext(this, _current, _incarnation);
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(context);
        Task task;
        try
        {
            task = work();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
        if (task.IsCompleted)
        {
            // Rethrows a synchronous fault into the handler's own failure path.
            task.GetAwaiter().GetResult();
            return;
        }
        _pendingTasks++;
        task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(() => SendSystemMessage(new TaskCompleted(context, task)));
    }

    private void HandleContinuation(RunContinuation continuation)
    {
        if (continuation.Context.Incarnation != _incarnation || _lifecycle != Running)
        {
            // The instance that awaited is gone (restarted or stopping); its continuation must not run.
            return;
        }
        var previous = SynchronizationContext.Current;
        _current = continuation.Context.Envelope;
        SynchronizationContext.SetSynchronizationContext(continuation.Context);
        try
        {
            continuation.Callback(continuation.State);
        }
        catch (Exception ex)
        {
            HandleInvokeFailure(ex, continuation.Context.Envelope.Message);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
            _current = default;
        }
    }

    private void HandleTaskCompleted(TaskCompleted completed)
    {
        if (completed.Context.Incarnation != _incarnation || _lifecycle != Running)
        {
            return;
        }
        _pendingTasks--;
        var task = completed.Task;
        if (task.IsFaulted || task.IsCanceled)
        {
            Exception cause = task.IsCanceled
                ? new TaskCanceledException(task)
                : task.Exception!.InnerExceptions.Count == 1 ? task.Exception.InnerException! : task.Exception;
            _current = completed.Context.Envelope;
            try
            {
                HandleInvokeFailure(cause, completed.Context.Envelope.Message);
            }
            finally
            {
                _current = default;
            }
        }
    }
}
