namespace ActorStore.Actors;

/// <summary>
/// Actor configured with typed handlers: call <c>Receive&lt;T&gt;(...)</c> in the constructor (or inside
/// <see cref="Become"/>). Handlers are tried in registration order; the first that takes the message wins.
/// </summary>
public abstract class ReceiveActor : ActorBase
{
    private readonly List<ReceiveHandler[]> _behaviors = new(1);
    private List<ReceiveHandler>? _configuring = [];
    private ReceiveHandler[] _active = [];

    protected void Receive<T>(Action<T> handler) => Add(new ActionHandler<T>(handler, null));

    protected void Receive<T>(Action<T> handler, Predicate<T> shouldHandle) => Add(new ActionHandler<T>(handler, shouldHandle));

    protected void Receive<T>(Predicate<T> shouldHandle, Action<T> handler) => Add(new ActionHandler<T>(handler, shouldHandle));

    /// <summary>The handler returns false to pass the message on to later handlers.</summary>
    protected void Receive<T>(Func<T, bool> handler) => Add(new FuncHandler<T>(handler));

    /// <summary>Asynchronous handler; see <see cref="ActorBase.RunTask"/> for the guarantees.</summary>
    protected void ReceiveAsync<T>(Func<T, Task> handler) => Add(new AsyncHandler<T>(handler, null));

    protected void ReceiveAsync<T>(Func<T, Task> handler, Predicate<T> shouldHandle) => Add(new AsyncHandler<T>(handler, shouldHandle));

    protected void ReceiveAny(Action<object> handler) => Add(new ActionHandler<object>(handler, null));

    protected void ReceiveAnyAsync(Func<object, Task> handler) => Add(new AsyncHandler<object>(handler, null));

    /// <summary>Replaces the current behavior with the handlers registered by <paramref name="configure"/>.</summary>
    protected void Become(Action configure)
    {
        var handlers = Build(configure);
        if (_behaviors.Count == 0)
        {
            _behaviors.Add(handlers);
        }
        else
        {
            _behaviors[^1] = handlers;
        }
        _active = handlers;
    }

    /// <summary>Pushes a behavior; <see cref="UnbecomeStacked"/> returns to the previous one.</summary>
    protected void BecomeStacked(Action configure)
    {
        var handlers = Build(configure);
        _behaviors.Add(handlers);
        _active = handlers;
    }

    protected void UnbecomeStacked()
    {
        if (_behaviors.Count > 1)
        {
            _behaviors.RemoveAt(_behaviors.Count - 1);
            _active = _behaviors[^1];
        }
    }

    protected sealed override bool Receive(object message)
    {
        var handlers = _active;
        for (var i = 0; i < handlers.Length; i++)
        {
            if (handlers[i].TryHandle(this, message))
            {
                return true;
            }
        }
        return false;
    }

    internal override void OnAttached()
    {
        // The constructor has run: its registrations become the initial behavior (unless it already called Become).
        if (_behaviors.Count == 0)
        {
            _active = _configuring?.ToArray() ?? [];
            _behaviors.Add(_active);
        }
        _configuring = null;
    }

    internal void RunHandlerTask(Func<Task> work) => RunTask(work);

    private void Add(ReceiveHandler handler)
    {
        if (_configuring is null)
        {
            throw new InvalidOperationException("Receive handlers can only be registered in the constructor or inside Become/BecomeStacked.");
        }
        _configuring.Add(handler);
    }

    private ReceiveHandler[] Build(Action configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var previous = _configuring;
        var handlers = new List<ReceiveHandler>();
        _configuring = handlers;
        try
        {
            configure();
        }
        finally
        {
            _configuring = previous;
        }
        return handlers.ToArray();
    }
}
