using System.Text;
using ActorStore.Actors;

namespace ActorStore.TestKit;

/// <summary>
/// Base class for actor tests: xunit creates one instance per test, so each test gets a fresh <see cref="Sys"/>,
/// which Dispose terminates. <see cref="TestActor"/> is a probe's ref; the Expect* methods read that probe.
/// With <c>virtualTime: true</c> the system's scheduler is a <see cref="TestScheduler"/> (see <see cref="VirtualTime"/>).
/// </summary>
public abstract class TestKit : IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(10);
    private bool _disposed;

    protected TestKit(bool virtualTime = false)
        : this(new ActorSystemSettings(), virtualTime)
    {
    }

    protected TestKit(ActorSystemSettings settings, bool virtualTime = false)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (virtualTime)
        {
            settings = settings with { Scheduler = new TestScheduler() };
        }
        Sys = ActorSystem.Create(SystemNameFor(GetType()), settings);
        Probe = new TestProbe(Sys, "testActor");
    }

    public ActorSystem Sys { get; }

    /// <summary>The probe behind <see cref="TestActor"/>.</summary>
    public TestProbe Probe { get; }

    public IActorRef TestActor => Probe.Ref;

    public IActorRef? LastSender => Probe.LastSender;

    /// <summary>The virtual clock; only when the kit was created with <c>virtualTime: true</c>.</summary>
    public TestScheduler VirtualTime =>
        Sys.Scheduler as TestScheduler ?? throw new InvalidOperationException("This test kit runs on real time; pass virtualTime: true to the TestKit constructor.");

    public TestProbe CreateTestProbe(string? name = null) => new(Sys, name);

    public IActorRef ActorOf(Props props, string? name = null) => Sys.ActorOf(props, name);

    public IActorRef Watch(IActorRef target) => Probe.Watch(target);

    public IActorRef Unwatch(IActorRef target) => Probe.Unwatch(target);

    public object ReceiveOne(TimeSpan? timeout = null) => Probe.ReceiveOne(timeout);

    public T ExpectMsg<T>(TimeSpan? timeout = null) => Probe.ExpectMsg<T>(timeout);

    public T ExpectMsg<T>(Predicate<T> predicate, TimeSpan? timeout = null) => Probe.ExpectMsg(predicate, timeout);

    public T ExpectMsg<T>(T expected, TimeSpan? timeout = null) => Probe.ExpectMsg(expected, timeout);

    public void ExpectNoMsg(TimeSpan duration) => Probe.ExpectNoMsg(duration);

    public T FishForMessage<T>(Predicate<T> isTarget, TimeSpan? timeout = null) => Probe.FishForMessage(isTarget, timeout);

    public Terminated ExpectTerminated(IActorRef target, TimeSpan? timeout = null) => Probe.ExpectTerminated(target, timeout);

    public Task<object> ReceiveOneAsync(TimeSpan? timeout = null) => Probe.ReceiveOneAsync(timeout);

    public Task<T> ExpectMsgAsync<T>(TimeSpan? timeout = null) => Probe.ExpectMsgAsync<T>(timeout);

    public Task<T> ExpectMsgAsync<T>(Predicate<T> predicate, TimeSpan? timeout = null) => Probe.ExpectMsgAsync(predicate, timeout);

    public Task<T> ExpectMsgAsync<T>(T expected, TimeSpan? timeout = null) => Probe.ExpectMsgAsync(expected, timeout);

    public Task ExpectNoMsgAsync(TimeSpan duration) => Probe.ExpectNoMsgAsync(duration);

    public Task<T> FishForMessageAsync<T>(Predicate<T> isTarget, TimeSpan? timeout = null) => Probe.FishForMessageAsync(isTarget, timeout);

    public Task<Terminated> ExpectTerminatedAsync(IActorRef target, TimeSpan? timeout = null) => Probe.ExpectTerminatedAsync(target, timeout);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails after <paramref name="timeout"/> (default 3 s).</summary>
    public void AwaitCondition(Func<bool> condition, TimeSpan? timeout = null, TimeSpan? interval = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Probe.DefaultTimeout);
        while (!condition())
        {
            if (DateTime.UtcNow >= deadline)
            {
                throw new Xunit.Sdk.XunitException($"Condition not met within {(timeout ?? Probe.DefaultTimeout).TotalMilliseconds:0} ms.");
            }
            Thread.Sleep(interval ?? TimeSpan.FromMilliseconds(10));
        }
    }

    public async Task AwaitConditionAsync(Func<bool> condition, TimeSpan? timeout = null, TimeSpan? interval = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Probe.DefaultTimeout);
        while (!condition())
        {
            if (DateTime.UtcNow >= deadline)
            {
                throw new Xunit.Sdk.XunitException($"Condition not met within {(timeout ?? Probe.DefaultTimeout).TotalMilliseconds:0} ms.");
            }
            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(10)).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (!Sys.Terminate().Wait(ShutdownTimeout))
        {
            throw new TimeoutException($"Actor system {Sys.Name} did not terminate within {ShutdownTimeout.TotalSeconds:0} s.");
        }
        GC.SuppressFinalize(this);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        await Sys.Terminate().WaitAsync(ShutdownTimeout).ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    private static string SystemNameFor(Type testClass)
    {
        var name = new StringBuilder(testClass.Name.Length);
        foreach (var c in testClass.Name)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_' ? c : '_');
        }
        if (name.Length == 0 || !char.IsAsciiLetterOrDigit(name[0]))
        {
            name.Insert(0, "test");
        }
        return name.ToString();
    }
}
