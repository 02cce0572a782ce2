using System.Collections.Concurrent;
using ActorStore.Actors;
using Xunit;

namespace ActorStore.TestKit;

/// <summary>
/// An actor whose messages land in a blocking queue so tests can assert on them in order.
/// Every Expect* waits at most its timeout (default 3 s) and fails the test with a readable message otherwise.
/// </summary>
public sealed class TestProbe
{
    private readonly ConcurrentQueue<ReceivedMessage> _queue = new();
    private readonly SemaphoreSlim _available = new(0);

    public TestProbe(ActorSystem system, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        System = system;
        Ref = system.ActorOf(Props.Create(() => new ProbeActor(this)), name);
    }

    public ActorSystem System { get; }

    public IActorRef Ref { get; }

    public TimeSpan DefaultTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Sender of the last message taken from the queue.</summary>
    public IActorRef? LastSender { get; private set; }

    /// <summary>The last message taken from the queue.</summary>
    public object? LastMessage { get; private set; }

    /// <summary>Messages received but not yet taken.</summary>
    public int Pending => _queue.Count;

    // ---- sending ----

    /// <summary>Tells <paramref name="message"/> to <paramref name="target"/> with this probe as sender.</summary>
    public void Send(IActorRef target, object message) => target.Tell(message, Ref);

    /// <summary>Answers the sender of the last received message, with this probe as sender.</summary>
    public void Reply(object message) =>
        (LastSender ?? throw new InvalidOperationException("No message has been received yet, so there is nobody to reply to.")).Tell(message, Ref);

    /// <summary>Passes the last received message (or <paramref name="message"/>) on to <paramref name="target"/>, keeping the original sender.</summary>
    public void Forward(IActorRef target, object? message = null) =>
        target.Tell(message ?? LastMessage ?? throw new InvalidOperationException("No message has been received yet."), LastSender);

    /// <summary>Asks for a <see cref="Terminated"/> message when <paramref name="target"/> stops.</summary>
    public IActorRef Watch(IActorRef target)
    {
        Ref.Tell(new ProbeWatch(target));
        return target;
    }

    public IActorRef Unwatch(IActorRef target)
    {
        Ref.Tell(new ProbeUnwatch(target));
        return target;
    }

    // ---- synchronous expectations ----

    /// <summary>The next message, whatever it is.</summary>
    public object ReceiveOne(TimeSpan? timeout = null) => Take(Next(timeout, "any message"));

    public T ExpectMsg<T>(TimeSpan? timeout = null) => AsType<T>(Next(timeout, Describe<T>()));

    public T ExpectMsg<T>(Predicate<T> predicate, TimeSpan? timeout = null) => Matching(Next(timeout, Describe<T>() + " matching the predicate"), predicate);

    public T ExpectMsg<T>(T expected, TimeSpan? timeout = null) => EqualTo(Next(timeout, $"{Describe<T>()} equal to {expected}"), expected);

    /// <summary>Fails if any message arrives within <paramref name="duration"/>.</summary>
    public void ExpectNoMsg(TimeSpan duration) => NoneExpected(_available.Wait(duration), duration);

    /// <summary>Skips messages until one of type <typeparamref name="T"/> satisfies <paramref name="isTarget"/>.</summary>
    public T FishForMessage<T>(Predicate<T> isTarget, TimeSpan? timeout = null)
    {
        var deadline = Deadline(timeout);
        while (true)
        {
            var received = Next(Remaining(deadline), $"{Describe<T>()} matching the predicate (while fishing)");
            if (received.Message is T typed && isTarget(typed))
            {
                Take(received);
                return typed;
            }
        }
    }

    /// <summary>Expects the next message to be <see cref="Terminated"/> for <paramref name="target"/> (call <see cref="Watch"/> first).</summary>
    public Terminated ExpectTerminated(IActorRef target, TimeSpan? timeout = null) =>
        ExpectMsg<Terminated>(t => t.ActorRef == target, timeout);

    // ---- asynchronous expectations ----

    public async Task<object> ReceiveOneAsync(TimeSpan? timeout = null) => Take(await NextAsync(timeout, "any message").ConfigureAwait(false));

    public async Task<T> ExpectMsgAsync<T>(TimeSpan? timeout = null) => AsType<T>(await NextAsync(timeout, Describe<T>()).ConfigureAwait(false));

    public async Task<T> ExpectMsgAsync<T>(Predicate<T> predicate, TimeSpan? timeout = null) =>
        Matching(await NextAsync(timeout, Describe<T>() + " matching the predicate").ConfigureAwait(false), predicate);

    public async Task<T> ExpectMsgAsync<T>(T expected, TimeSpan? timeout = null) =>
        EqualTo(await NextAsync(timeout, $"{Describe<T>()} equal to {expected}").ConfigureAwait(false), expected);

    public async Task ExpectNoMsgAsync(TimeSpan duration) => NoneExpected(await _available.WaitAsync(duration).ConfigureAwait(false), duration);

    public async Task<T> FishForMessageAsync<T>(Predicate<T> isTarget, TimeSpan? timeout = null)
    {
        var deadline = Deadline(timeout);
        while (true)
        {
            var received = await NextAsync(Remaining(deadline), $"{Describe<T>()} matching the predicate (while fishing)").ConfigureAwait(false);
            if (received.Message is T typed && isTarget(typed))
            {
                Take(received);
                return typed;
            }
        }
    }

    public Task<Terminated> ExpectTerminatedAsync(IActorRef target, TimeSpan? timeout = null) =>
        ExpectMsgAsync<Terminated>(t => t.ActorRef == target, timeout);

    // ---- plumbing ----

    internal void Enqueue(object message, IActorRef sender)
    {
        _queue.Enqueue(new ReceivedMessage(message, sender));
        _available.Release();
    }

    private ReceivedMessage Next(TimeSpan? timeout, string expectation)
    {
        var wait = timeout ?? DefaultTimeout;
        return _available.Wait(wait) ? Dequeue() : throw TimedOut(wait, expectation);
    }

    private async Task<ReceivedMessage> NextAsync(TimeSpan? timeout, string expectation)
    {
        var wait = timeout ?? DefaultTimeout;
        return await _available.WaitAsync(wait).ConfigureAwait(false) ? Dequeue() : throw TimedOut(wait, expectation);
    }

    private ReceivedMessage Dequeue() =>
        _queue.TryDequeue(out var received) ? received : throw new InvalidOperationException("Probe queue and counter disagree.");

    private object Take(ReceivedMessage received)
    {
        LastMessage = received.Message;
        LastSender = received.Sender;
        return received.Message;
    }

    private T AsType<T>(ReceivedMessage received)
    {
        Take(received);
        if (received.Message is T typed)
        {
            return typed;
        }
        Assert.Fail($"{Ref.Path}: expected {Describe<T>()} but received {Show(received)}.");
        return default!;
    }

    private T Matching<T>(ReceivedMessage received, Predicate<T> predicate)
    {
        var typed = AsType<T>(received);
        if (!predicate(typed))
        {
            Assert.Fail($"{Ref.Path}: received {Show(received)}, which does not match the predicate.");
        }
        return typed;
    }

    private T EqualTo<T>(ReceivedMessage received, T expected)
    {
        var typed = AsType<T>(received);
        Assert.Equal(expected, typed);
        return typed;
    }

    private void NoneExpected(bool gotOne, TimeSpan duration)
    {
        if (gotOne)
        {
            var received = Dequeue();
            Take(received);
            Assert.Fail($"{Ref.Path}: expected no message for {duration.TotalMilliseconds:0} ms but received {Show(received)}.");
        }
    }

    private Xunit.Sdk.XunitException TimedOut(TimeSpan wait, string expectation) =>
        new($"{Ref.Path}: timeout ({wait.TotalMilliseconds:0} ms) while waiting for {expectation}.");

    private DateTime Deadline(TimeSpan? timeout) => DateTime.UtcNow + (timeout ?? DefaultTimeout);

    private static TimeSpan Remaining(DateTime deadline)
    {
        var left = deadline - DateTime.UtcNow;
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    private static string Describe<T>() => $"a message of type {typeof(T).Name}";

    private static string Show(ReceivedMessage received) => $"{received.Message.GetType().Name} {received.Message} from {received.Sender.Path}";
}
