namespace ActorStore.Actors;

/// <summary>
/// System-wide publish/subscribe by message type (a subscription to a base type or interface gets subtypes too).
/// Publishing reads an immutable snapshot without locking; subscription changes copy it.
/// </summary>
public sealed class EventStream
{
    private readonly Lock _gate = new();
    private volatile Subscription[] _subscriptions = [];

    /// <summary>False when the subscriber already had exactly this subscription.</summary>
    public bool Subscribe(IActorRef subscriber, Type messageType)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(messageType);
        lock (_gate)
        {
            var current = _subscriptions;
            foreach (var subscription in current)
            {
                if (subscription.Subscriber == subscriber && subscription.MessageType == messageType)
                {
                    return false;
                }
            }
            _subscriptions = [.. current, new Subscription(subscriber, messageType)];
            return true;
        }
    }

    public bool Subscribe<T>(IActorRef subscriber) => Subscribe(subscriber, typeof(T));

    public bool Unsubscribe(IActorRef subscriber, Type messageType)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        return Remove(s => s.Subscriber == subscriber && s.MessageType == messageType);
    }

    /// <summary>Removes all subscriptions of <paramref name="subscriber"/>.</summary>
    public bool Unsubscribe(IActorRef subscriber)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        return Remove(s => s.Subscriber == subscriber);
    }

    public void Publish(object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var subscriptions = _subscriptions;
        foreach (var subscription in subscriptions)
        {
            if (subscription.MessageType.IsInstanceOfType(message))
            {
                subscription.Subscriber.Tell(message);
            }
        }
    }

    private bool Remove(Predicate<Subscription> match)
    {
        // Lock-free early exit: stopping actors call this, and almost none of them subscribed.
        if (Array.FindIndex(_subscriptions, match) < 0)
        {
            return false;
        }
        lock (_gate)
        {
            var current = _subscriptions;
            var kept = Array.FindAll(current, s => !match(s));
            _subscriptions = kept;
            return kept.Length != current.Length;
        }
    }

    private sealed record Subscription(IActorRef Subscriber, Type MessageType);
}
