using Microsoft.Extensions.Logging;

namespace ActorStore.Actors;

internal sealed partial class ActorCell
{
    private readonly Lock _gate = new();

    // Guarded by _gate: touched by the parent's run loop, by ActorOf from any thread and by watchers.
    private Dictionary<string, ChildRecord>? _children;
    private HashSet<ActorCell>? _watchers;
    private long _autoNameSequence = -1;

    // Owned by the run loop.
    private HashSet<IActorRef>? _watching;
    private HashSet<IActorRef>? _terminatedQueued;
    private ActorBase? _replacedInstance;
    private TimeSpan? _receiveTimeout;
    private TimeSpan _lastActivity;
    private int _receiveTimeoutGeneration;
    private ICancelable? _receiveTimeoutTimer;

    public IReadOnlyList<IActorRef> Children
    {
        get
        {
            lock (_gate)
            {
                if (_children is null || _children.Count == 0)
                {
                    return [];
                }
                var live = new List<IActorRef>(_children.Count);
                foreach (var record in _children.Values)
                {
                    if (!record.Stopping)
                    {
                        live.Add(record.Cell);
                    }
                }
                return live;
            }
        }
    }

    public TimeSpan? ReceiveTimeout => _receiveTimeout;

    public IActorRef ActorOf(Props props, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(props);
        if (name is null)
        {
            name = ActorPath.AutoName(Interlocked.Increment(ref _autoNameSequence));
        }
        else
        {
            ValidateChildName(name);
        }
        var child = new ActorCell(_system, this, props, Path.Child(name));
        lock (_gate)
        {
            if (_lifecycle >= Terminating)
            {
                child.MarkStillborn();
                return child;
            }
            _children ??= new Dictionary<string, ChildRecord>(StringComparer.Ordinal);
            if (!_children.TryAdd(name, new ChildRecord(child)))
            {
                throw new InvalidActorNameException($"An actor named '{name}' already exists under {Path}.");
            }
        }
        child.Start();
        return child;
    }

    public IActorRef? Child(string name)
    {
        lock (_gate)
        {
            return _children is not null && _children.TryGetValue(name, out var record) && !record.Stopping ? record.Cell : null;
        }
    }

    public void Stop(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor is ActorCell cell && cell._parent == this)
        {
            lock (_gate)
            {
                if (_children is not null && _children.TryGetValue(cell.Path.Name, out var record) && record.Cell == cell)
                {
                    record.Stopping = true;
                }
            }
        }
        (actor as InternalActorRef)?.Stop();
    }

    private static void ValidateChildName(string name)
    {
        if (name.Length == 0)
        {
            throw new InvalidActorNameException("Actor names must not be empty.");
        }
        if (name[0] == '$')
        {
            throw new InvalidActorNameException($"Actor name '{name}' is invalid: names starting with '$' are reserved for generated names.");
        }
        foreach (var c in name)
        {
            if (c == '/' || c == '#' || c == '?' || char.IsWhiteSpace(c) || char.IsControl(c))
            {
                throw new InvalidActorNameException($"Actor name '{name}' is invalid: it must not contain '/', '#', '?' or whitespace.");
            }
        }
    }

    // ---- creation, restart, stop ----

    private void HandleCreate()
    {
        _lifecycle = Running;
        try
        {
            _actor = NewInstance(previous: null);
            _actor.InvokePreStart();
        }
        catch (Exception ex)
        {
            HandleInvokeFailure(new ActorInitializationException(this, $"Creating {Path} ({_props.ActorType.Name}) failed: {ex.Message}", ex), null);
        }
    }

    private ActorBase NewInstance(ActorBase? previous)
    {
        var actor = _props.NewActor();
        if (ReferenceEquals(actor, previous))
        {
            throw new InvalidOperationException($"The Props factory for {_props.ActorType.Name} returned the same instance again; it must create a new one.");
        }
        actor.Attach(this);
        return actor;
    }

    /// <summary>
    /// A handler (or creation) threw: suspend user messages and let the parent decide.
    /// The parent answers with Resume, Recreate or Terminate.
    /// </summary>
    private void HandleInvokeFailure(Exception cause, object? message)
    {
        if (_lifecycle >= Terminating)
        {
            Log.LogError(cause, "Actor {Path} failed while stopping", Path);
            return;
        }
        if (_suspendedByFailure)
        {
            // Already waiting for a decision about an earlier failure.
            Log.LogError(cause, "Actor {Path} failed again while awaiting supervision", Path);
            return;
        }
        _suspendedByFailure = true;
        _failedMessage = message;
        if (_parent is null)
        {
            // The guardian has nobody above it: report and carry on.
            _system.Log.LogError(cause, "The user guardian {Path} failed", Path);
            _suspendedByFailure = false;
            _failedMessage = null;
            return;
        }
        _parent.SendSystemMessage(new ChildFailed(this, cause));
    }

    private void HandleResume()
    {
        if (_lifecycle != Running || !_suspendedByFailure)
        {
            return;
        }
        if (_actor is null)
        {
            // Creation failed, so there is no instance to resume: make one.
            HandleRecreate(new ActorInitializationException(this, $"{Path} was resumed but has no instance; restarting it.", null));
            return;
        }
        _suspendedByFailure = false;
        _failedMessage = null;
        // A resumed escalation may have left a failed child waiting; resuming a healthy child is a no-op.
        foreach (var child in Children)
        {
            ((ActorCell)child).SendSystemMessage(ResumeActor.Instance);
        }
    }

    private void HandleRecreate(Exception cause)
    {
        if (_lifecycle != Running || _recreateCause is not null)
        {
            return;
        }
        _suspendedByFailure = true;
        var failedInstance = _actor;
        _incarnation++;
        _pendingTasks = 0;
        StopReceiveTimeoutTimer();
        if (failedInstance is not null)
        {
            try
            {
                failedInstance.InvokePreRestart(cause, _failedMessage);
            }
            catch (Exception ex)
            {
                Log.LogError(ex, "PreRestart of {Path} threw", Path);
            }
        }
        // The failed instance is done (its PreRestart ran); a stop arriving mid-restart must not call its PostStop again.
        _replacedInstance = failedInstance;
        _actor = null;
        _recreateCause = cause;
        if (!HasStoppingChildren())
        {
            FinishRecreate();
        }
    }

    private void FinishRecreate()
    {
        var cause = _recreateCause!;
        _recreateCause = null;
        _failedMessage = null;
        _suspendedByFailure = false;
        var previous = _replacedInstance;
        _replacedInstance = null;
        // Children the old instance kept (PreRestart did not stop them); taken before the new instance adds its own.
        var survivors = Children;
        try
        {
            _actor = NewInstance(previous);
            _actor.InvokePostRestart(cause);
        }
        catch (Exception ex)
        {
            HandleInvokeFailure(new ActorInitializationException(this, $"Restarting {Path} ({_props.ActorType.Name}) failed: {ex.Message}", ex), null);
            return;
        }
        StartReceiveTimeoutTimer();
        // Survivors are restarted too, so no child outlives the state of the instance that made it.
        foreach (var survivor in survivors)
        {
            ((ActorCell)survivor).SendSystemMessage(new RecreateActor(cause));
        }
    }

    private void HandleTerminate()
    {
        List<ActorCell>? toStop = null;
        lock (_gate)
        {
            if (_lifecycle >= Terminating)
            {
                return;
            }
            _lifecycle = Terminating;
            if (_children is not null)
            {
                foreach (var record in _children.Values)
                {
                    record.Stopping = true;
                    (toStop ??= []).Add(record.Cell);
                }
            }
        }
        StopReceiveTimeoutTimer();
        if (toStop is null)
        {
            FinishTerminate();
            return;
        }
        // Children go first; the last ChildStopped completes this actor's termination.
        foreach (var child in toStop)
        {
            child.Stop();
        }
    }

    private void FinishTerminate()
    {
        var actor = _actor;
        if (actor is not null)
        {
            try
            {
                actor.InvokePostStop();
            }
            catch (Exception ex)
            {
                Log.LogError(ex, "PostStop of {Path} threw", Path);
            }
        }
        HashSet<ActorCell>? watchers;
        lock (_gate)
        {
            _lifecycle = Terminated;
            watchers = _watchers;
            _watchers = null;
        }
        _actor = null;
        if (watchers is not null)
        {
            foreach (var watcher in watchers)
            {
                watcher.SendSystemMessage(new WatchedActorTerminated(this));
            }
        }
        if (_watching is not null)
        {
            foreach (var subject in _watching)
            {
                (subject as InternalActorRef)?.RemoveWatcher(this);
            }
            _watching = null;
        }
        _system.EventStream.Unsubscribe(this);
        DrainAfterTermination();
        if (_parent is not null)
        {
            _parent.SendSystemMessage(new ChildStopped(this));
        }
        else
        {
            _system.OnGuardianTerminated();
        }
    }

    private bool HasStoppingChildren()
    {
        lock (_gate)
        {
            if (_children is null)
            {
                return false;
            }
            foreach (var record in _children.Values)
            {
                if (record.Stopping)
                {
                    return true;
                }
            }
            return false;
        }
    }

    private void HandleChildStopped(ActorCell child)
    {
        bool noChildrenLeft;
        lock (_gate)
        {
            if (_children is not null && _children.TryGetValue(child.Path.Name, out var record) && record.Cell == child)
            {
                _children.Remove(child.Path.Name);
            }
            noChildrenLeft = _children is null || _children.Count == 0;
        }
        if (_lifecycle == Terminating)
        {
            if (noChildrenLeft)
            {
                FinishTerminate();
            }
        }
        else if (_recreateCause is not null && !HasStoppingChildren())
        {
            FinishRecreate();
        }
    }

    // ---- supervision of children ----

    private void HandleChildFailed(ActorCell child, Exception cause)
    {
        if (_lifecycle != Running)
        {
            return;
        }
        ChildRecord? failedRecord;
        List<ChildRecord> siblings = [];
        lock (_gate)
        {
            if (_children is null || !_children.TryGetValue(child.Path.Name, out failedRecord) || failedRecord.Cell != child || failedRecord.Stopping)
            {
                return;
            }
            foreach (var record in _children.Values)
            {
                if (!record.Stopping)
                {
                    siblings.Add(record);
                }
            }
        }
        var strategy = _actor?.ResolveSupervisorStrategy(_props) ?? _props.SupervisorStrategy ?? SupervisorStrategy.DefaultStrategy;
        var directive = strategy.Decide(cause);
        var affected = strategy.AppliesToAllChildren ? siblings : [failedRecord];
        if (directive == Directive.Restart)
        {
            var now = _system.Scheduler.Elapsed;
            var permitted = true;
            foreach (var record in affected)
            {
                permitted &= strategy.RequestRestartPermission(record, now);
            }
            if (!permitted)
            {
                _system.Log.LogError(cause, "Actor {Path} failed and ran out of restarts; stopping it", child.Path);
                directive = Directive.Stop;
            }
        }
        switch (directive)
        {
            case Directive.Resume:
                _system.Log.LogWarning(cause, "Actor {Path} failed; resuming it", child.Path);
                child.SendSystemMessage(ResumeActor.Instance);
                break;
            case Directive.Restart:
                _system.Log.LogError(cause, "Actor {Path} failed; restarting it", child.Path);
                foreach (var record in affected)
                {
                    record.Cell.SendSystemMessage(new RecreateActor(cause));
                }
                break;
            case Directive.Stop:
                if (cause is not ActorKilledException)
                {
                    _system.Log.LogError(cause, "Actor {Path} failed; stopping it", child.Path);
                }
                foreach (var record in affected)
                {
                    Stop(record.Cell);
                }
                break;
            case Directive.Escalate:
                if (_parent is null)
                {
                    _system.Log.LogError(cause, "Failure of {Path} escalated to the user guardian; stopping it", child.Path);
                    Stop(child);
                }
                else
                {
                    HandleInvokeFailure(cause, null);
                }
                break;
        }
    }

    // ---- death watch ----

    public IActorRef Watch(IActorRef subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (subject == this)
        {
            return subject;
        }
        if (subject is not InternalActorRef target)
        {
            throw new ArgumentException($"{subject.GetType().Name} refs cannot be watched.", nameof(subject));
        }
        if ((_watching ??= []).Add(subject) && !target.AddWatcher(this))
        {
            SendSystemMessage(new WatchedActorTerminated(subject));
        }
        return subject;
    }

    public IActorRef Unwatch(IActorRef subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (_watching is not null && _watching.Remove(subject))
        {
            (subject as InternalActorRef)?.RemoveWatcher(this);
        }
        _terminatedQueued?.Remove(subject);
        return subject;
    }

    public override bool AddWatcher(ActorCell watcher)
    {
        lock (_gate)
        {
            if (_lifecycle == Terminated)
            {
                return false;
            }
            (_watchers ??= []).Add(watcher);
            return true;
        }
    }

    public override void RemoveWatcher(ActorCell watcher)
    {
        lock (_gate)
        {
            _watchers?.Remove(watcher);
        }
    }

    private void HandleWatchedActorTerminated(IActorRef subject)
    {
        if (_lifecycle == Terminated || _watching is null || !_watching.Remove(subject))
        {
            return;
        }
        // Queued behind the user messages already here, so whatever the dead actor sent us arrives first.
        (_terminatedQueued ??= []).Add(subject);
        _mailbox.Enqueue(new Envelope(new TerminatedDelivery(subject), subject));
    }

    private void DeliverTerminated(IActorRef subject)
    {
        // An Unwatch after the notification was queued cancels it.
        if (_terminatedQueued is not null && _terminatedQueued.Remove(subject))
        {
            var terminated = new Terminated(subject);
            if (!_actor!.InvokeReceive(terminated))
            {
                _actor.InvokeUnhandled(terminated);
            }
        }
    }

    // ---- receive timeout ----

    public void SetReceiveTimeout(TimeSpan? timeout)
    {
        if (timeout is { } value && value <= TimeSpan.Zero)
        {
            timeout = null;
        }
        _receiveTimeout = timeout;
        _lastActivity = _system.Scheduler.Elapsed;
        StopReceiveTimeoutTimer();
        StartReceiveTimeoutTimer();
    }

    private void StartReceiveTimeoutTimer()
    {
        if (_receiveTimeout is { } timeout)
        {
            _receiveTimeoutTimer = _system.Scheduler.ScheduleTellOnce(timeout, this, new ReceiveTimeoutCheck(_receiveTimeoutGeneration));
        }
    }

    private void StopReceiveTimeoutTimer()
    {
        _receiveTimeoutGeneration++;
        _receiveTimeoutTimer?.Cancel();
        _receiveTimeoutTimer = null;
    }

    // One timer per timeout period rather than one per message: activity only moves _lastActivity.
    private void HandleReceiveTimeoutCheck(ReceiveTimeoutCheck check)
    {
        if (check.Generation != _receiveTimeoutGeneration || _receiveTimeout is not { } timeout)
        {
            return;
        }
        var idle = _system.Scheduler.Elapsed - _lastActivity;
        if (idle >= timeout)
        {
            _lastActivity = _system.Scheduler.Elapsed;
            _receiveTimeoutTimer = _system.Scheduler.ScheduleTellOnce(timeout, this, check);
            if (!_actor!.InvokeReceive(global::ActorStore.Actors.ReceiveTimeout.Instance))
            {
                _actor.InvokeUnhandled(global::ActorStore.Actors.ReceiveTimeout.Instance);
            }
        }
        else
        {
            _receiveTimeoutTimer = _system.Scheduler.ScheduleTellOnce(timeout - idle, this, check);
        }
    }
}
