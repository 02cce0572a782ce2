namespace ActorStore.Actors;

/// <summary>One registered handler of a <see cref="ReceiveActor"/>; allocated once, matched per message by type test.</summary>
internal abstract class ReceiveHandler
{
    public abstract bool TryHandle(ReceiveActor actor, object message);
}

internal sealed class ActionHandler<T>(Action<T> handler, Predicate<T>? shouldHandle) : ReceiveHandler
{
    private readonly Action<T> _handler = handler ?? throw new ArgumentNullException(nameof(handler));

    public override bool TryHandle(ReceiveActor actor, object message)
    {
        if (message is T typed && (shouldHandle is null || shouldHandle(typed)))
        {
            _handler(typed);
            return true;
        }
        return false;
    }
}

internal sealed class FuncHandler<T>(Func<T, bool> handler) : ReceiveHandler
{
    private readonly Func<T, bool> _handler = handler ?? throw new ArgumentNullException(nameof(handler));

    public override bool TryHandle(ReceiveActor actor, object message) => message is T typed && _handler(typed);
}

internal sealed class AsyncHandler<T>(Func<T, Task> handler, Predicate<T>? shouldHandle) : ReceiveHandler
{
    private readonly Func<T, Task> _handler = handler ?? throw new ArgumentNullException(nameof(handler));

    public override bool TryHandle(ReceiveActor actor, object message)
    {
        if (message is T typed && (shouldHandle is null || shouldHandle(typed)))
        {
            actor.RunHandlerTask(() => _handler(typed));
            return true;
        }
        return false;
    }
}
