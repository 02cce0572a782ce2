namespace ActorStore.Actors;

/// <summary>
/// Temporary reply target of one Ask (/temp/$x): the first message completes the task, later ones are dead letters.
/// </summary>
internal sealed class PromiseActorRef : InternalActorRef
{
    private readonly ActorSystem? _system;
    private readonly long _id;
    private readonly TaskCompletionSource<object> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ActorPath? _path;
    private List<ActorCell>? _watchers;

    public PromiseActorRef(ActorSystem? system, long id)
    {
        _system = system;
        _id = id;
    }

    // Built lazily: most asks never look at their reply target's path.
    public override ActorPath Path => _path ??= (_system?.TempPath ?? ActorPath.CreateRoot("temp")).Child(ActorPath.AutoName(_id));

    public override ActorSystem? System => _system;

    public Task<object> Task => _completion.Task;

    public override void Tell(object message, IActorRef? sender = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        var completed = message is Status.Failure failure
            ? _completion.TrySetException(failure.Cause)
            : _completion.TrySetResult(message);
        if (completed)
        {
            NotifyWatchers();
        }
        else
        {
            _system?.PublishDeadLetter(message, sender, this);
        }
    }

    public void Fail(Exception error)
    {
        if (_completion.TrySetException(error))
        {
            NotifyWatchers();
        }
    }

    public void Cancel(CancellationToken token)
    {
        if (_completion.TrySetCanceled(token))
        {
            NotifyWatchers();
        }
    }

    public override bool AddWatcher(ActorCell watcher)
    {
        lock (_completion)
        {
            if (_completion.Task.IsCompleted)
            {
                return false;
            }
            (_watchers ??= []).Add(watcher);
            return true;
        }
    }

    public override void RemoveWatcher(ActorCell watcher)
    {
        lock (_completion)
        {
            _watchers?.Remove(watcher);
        }
    }

    private void NotifyWatchers()
    {
        List<ActorCell>? watchers;
        lock (_completion)
        {
            watchers = _watchers;
            _watchers = null;
        }
        if (watchers is not null)
        {
            foreach (var watcher in watchers)
            {
                watcher.SendSystemMessage(new WatchedActorTerminated(this));
            }
        }
    }
}
