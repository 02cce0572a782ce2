namespace ActorStore.Actors;

/// <summary>One entry of a scheduler's queue: a Tell, an action, or the completion of a Delay.</summary>
internal sealed class ScheduledWork : ICancelable
{
    private readonly IActorRef? _receiver;
    private readonly object? _message;
    private readonly IActorRef? _sender;
    private readonly Action? _action;
    private readonly TaskCompletionSource? _completion;
    private CancellationTokenRegistration _registration;
    private volatile bool _canceled;

    private ScheduledWork(TimeSpan due, TimeSpan interval, IActorRef? receiver, object? message, IActorRef? sender, Action? action, TaskCompletionSource? completion)
    {
        Due = due;
        Interval = interval;
        _receiver = receiver;
        _message = message;
        _sender = sender;
        _action = action;
        _completion = completion;
    }

    /// <summary>Scheduler time at which the work is due; moved forward by the owning scheduler for repeats.</summary>
    public TimeSpan Due { get; set; }

    /// <summary>Zero for one-shot work.</summary>
    public TimeSpan Interval { get; }

    public bool IsRepeating => Interval > TimeSpan.Zero;

    public bool IsCancellationRequested => _canceled;

    public Task? Completion => _completion?.Task;

    public static ScheduledWork ForTell(TimeSpan due, TimeSpan interval, IActorRef receiver, object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        ArgumentNullException.ThrowIfNull(message);
        return new ScheduledWork(due, interval, receiver, message, sender, null, null);
    }

    public static ScheduledWork ForAction(TimeSpan due, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return new ScheduledWork(due, TimeSpan.Zero, null, null, null, action, null);
    }

    public static ScheduledWork ForDelay(TimeSpan due, CancellationToken cancellationToken)
    {
        var work = new ScheduledWork(due, TimeSpan.Zero, null, null, null, null, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (cancellationToken.CanBeCanceled)
        {
            work._registration = cancellationToken.Register(static (state, token) =>
            {
                var self = (ScheduledWork)state!;
                self._canceled = true;
                self._completion!.TrySetCanceled(token);
            }, work);
        }
        return work;
    }

    public void Cancel()
    {
        _canceled = true;
        _completion?.TrySetCanceled();
        _registration.Dispose();
    }

    /// <summary>Performs the work unless cancelled. Exceptions from actions reach the caller.</summary>
    public void Fire()
    {
        if (_canceled)
        {
            return;
        }
        if (_receiver is not null)
        {
            _receiver.Tell(_message!, _sender);
        }
        else if (_action is not null)
        {
            _action();
        }
        else
        {
            _registration.Dispose();
            _completion!.TrySetResult();
        }
    }
}
