namespace ActorStore.Actors;

public static class AskExtensions
{
    /// <summary>
    /// Sends <paramref name="message"/> with a temporary reply target and returns the first reply.
    /// A <see cref="Status.Failure"/> reply faults the task with its exception; no reply within the timeout
    /// (default: the system's DefaultAskTimeout) throws <see cref="AskTimeoutException"/>; a reply that is not a
    /// <typeparamref name="T"/> throws <see cref="InvalidCastException"/>. Timeouts run on real time.
    /// </summary>
    public static Task<T> Ask<T>(this IActorRef target, object message, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(message);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }
        var system = (target as InternalActorRef)?.System;
        var effectiveTimeout = timeout ?? system?.Settings.DefaultAskTimeout ?? Timeout.InfiniteTimeSpan;
        var promise = new PromiseActorRef(system, system?.NextTempId() ?? 0);
        return AwaitReply<T>(target, message, promise, effectiveTimeout, cancellationToken);
    }

    /// <summary>Ask without a reply type: returns whatever the target answered.</summary>
    public static Task<object> Ask(this IActorRef target, object message, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        target.Ask<object>(message, timeout, cancellationToken);

    private static async Task<T> AwaitReply<T>(IActorRef target, object message, PromiseActorRef promise, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = timeout == Timeout.InfiniteTimeSpan ? null : new CancellationTokenSource(timeout);
        using var onTimeout = timer?.Token.Register(static state =>
        {
            var (p, t, m, after) = ((PromiseActorRef, IActorRef, object, TimeSpan))state!;
            p.Fail(new AskTimeoutException($"Ask to {t.Path} with {m.GetType().Name} got no reply within {after.TotalMilliseconds:0} ms."));
        }, (promise, target, message, timeout));
        using var onCancel = cancellationToken.CanBeCanceled
            ? cancellationToken.Register(static state => ((PromiseActorRef)state!).Cancel(default), promise)
            : default;
        target.Tell(message, promise);
        var reply = await promise.Task.ConfigureAwait(false);
        return reply is T typed
            ? typed
            : throw new InvalidCastException($"Ask to {target.Path} expected a reply of type {typeof(T).Name} but got {reply.GetType().Name}.");
    }
}
