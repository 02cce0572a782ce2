namespace ActorStore.Actors;

/// <summary>
/// Base class of all actors. One message at a time: handlers never run concurrently, so instance state needs no locks.
/// <see cref="Context"/>, <see cref="Self"/> and <see cref="Sender"/> are available from <see cref="PreStart"/> on,
/// not in the constructor.
/// </summary>
public abstract class ActorBase
{
    private ActorCell? _cell;
    private SupervisorStrategy? _supervisorStrategy;

    protected IActorContext Context =>
        _cell ?? throw new InvalidOperationException("The actor context is not available in the constructor; move this code to PreStart.");

    protected IActorRef Self => Context.Self;

    /// <summary>Sender of the current message (dead letters if none). Pass <see cref="Self"/> explicitly when telling others.</summary>
    protected IActorRef Sender => Context.Sender;

    /// <summary>Handles a message; return false for "not mine", which goes to <see cref="Unhandled"/>.</summary>
    protected abstract bool Receive(object message);

    /// <summary>
    /// Default: an unhandled <see cref="Terminated"/> fails the actor with <see cref="DeathPactException"/>;
    /// anything else is published as a <see cref="DeadLetter"/> and logged.
    /// </summary>
    protected virtual void Unhandled(object message)
    {
        if (message is Terminated terminated)
        {
            throw new DeathPactException(terminated.ActorRef);
        }
        var cell = (ActorCell)Context;
        cell.System.PublishDeadLetter(message, cell.CurrentSender, cell);
    }

    protected virtual void PreStart()
    {
    }

    protected virtual void PostStop()
    {
    }

    /// <summary>Runs on the failed instance before it is replaced. Default: stop all children, then PostStop.</summary>
    protected virtual void PreRestart(Exception reason, object? message)
    {
        foreach (var child in Context.Children)
        {
            Context.Stop(child);
        }
        PostStop();
    }

    /// <summary>Runs on the fresh instance after a restart. Default: PreStart.</summary>
    protected virtual void PostRestart(Exception reason) => PreStart();

    /// <summary>How this actor supervises its children (called once per instance). Props.WithSupervisorStrategy wins over it.</summary>
    protected virtual SupervisorStrategy SupervisorStrategy() => global::ActorStore.Actors.SupervisorStrategy.DefaultStrategy;

    /// <summary>
    /// Runs asynchronous work as part of the current message: no further user message is handled until the task
    /// completes, awaits resume on this actor (Self, Sender and Context stay valid), and a fault goes to the supervisor.
    /// </summary>
    protected void RunTask(Func<Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        ((ActorCell)Context).RunTask(work);
    }

    internal void Attach(ActorCell cell)
    {
        _cell = cell;
        OnAttached();
    }

    /// <summary>Hook for base classes that finish their setup once the constructor has run.</summary>
    internal virtual void OnAttached()
    {
    }

    internal bool InvokeReceive(object message) => Receive(message);

    internal void InvokeUnhandled(object message) => Unhandled(message);

    internal void InvokePreStart() => PreStart();

    internal void InvokePostStop() => PostStop();

    internal void InvokePreRestart(Exception reason, object? message) => PreRestart(reason, message);

    internal void InvokePostRestart(Exception reason) => PostRestart(reason);

    internal SupervisorStrategy ResolveSupervisorStrategy(Props props) =>
        _supervisorStrategy ??= props.SupervisorStrategy ?? SupervisorStrategy();
}
