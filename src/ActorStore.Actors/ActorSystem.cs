using Microsoft.Extensions.Logging;

namespace ActorStore.Actors;

/// <summary>
/// A hierarchy of actors under the user guardian (<c>actorstore://name/user</c>), with a scheduler, an event stream
/// and dead letters. <see cref="Terminate"/> stops every actor (children before parents) and then completes.
/// </summary>
public sealed class ActorSystem : IAsyncDisposable
{
    private readonly ActorCell _guardian;
    private readonly DeadLetterActorRef _deadLetters;
    private readonly TimerScheduler? _ownedScheduler;
    private readonly TaskCompletionSource _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _tempSequence = -1;
    private int _terminateRequested;
    private long _deadLetterWindowStart;
    private int _deadLettersInWindow;
    private long _deadLetterCount;

    private ActorSystem(string name, ActorSystemSettings settings)
    {
        Name = name;
        Settings = settings;
        LoggerFactory = settings.LoggerFactory;
        Log = LoggerFactory.CreateLogger("ActorStore.Actors.ActorSystem");
        if (settings.Scheduler is null)
        {
            _ownedScheduler = new TimerScheduler(Log);
        }
        Scheduler = settings.Scheduler ?? _ownedScheduler!;
        EventStream = new EventStream();
        RootPath = ActorPath.CreateRoot(name);
        TempPath = RootPath.Child("temp");
        _deadLetters = new DeadLetterActorRef(this, RootPath.Child("deadLetters"));
        var guardianProps = Props.Create(static () => new GuardianActor())
            .WithSupervisorStrategy(settings.GuardianSupervisorStrategy ?? SupervisorStrategy.DefaultStrategy);
        _guardian = new ActorCell(this, null, guardianProps, RootPath.Child("user"));
        _guardian.Start();
    }

    public string Name { get; }

    public ActorSystemSettings Settings { get; }

    public ILoggerFactory LoggerFactory { get; }

    public ILogger Log { get; }

    public IScheduler Scheduler { get; }

    public EventStream EventStream { get; }

    public IActorRef DeadLetters => _deadLetters;

    /// <summary>The user guardian, parent of actors made with <see cref="ActorOf"/>.</summary>
    public IActorRef Guardian => _guardian;

    /// <summary>Completes once <see cref="Terminate"/> has stopped every actor.</summary>
    public Task WhenTerminated => _terminated.Task;

    /// <summary>Total dead letters so far (monitoring aid).</summary>
    public long DeadLetterCount => Interlocked.Read(ref _deadLetterCount);

    internal ActorPath RootPath { get; }

    internal ActorPath TempPath { get; }

    public static ActorSystem Create(string name, ActorSystemSettings? settings = null)
    {
        if (!IsValidSystemName(name))
        {
            throw new ArgumentException($"'{name}' is not a valid actor system name (letters, digits, '-' and '_', starting with a letter or digit).", nameof(name));
        }
        settings ??= new ActorSystemSettings();
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Throughput, 1, nameof(settings));
        return new ActorSystem(name, settings);
    }

    /// <summary>Creates a top-level actor. Names must be unique among the guardian's children; null picks "$a", "$b", ...</summary>
    public IActorRef ActorOf(Props props, string? name = null) => _guardian.ActorOf(props, name);

    /// <summary>Stops an actor asynchronously: its children first, then its PostStop, then watchers are told.</summary>
    public void Stop(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor is ActorCell cell && cell.Parent is ActorCell parent)
        {
            parent.Stop(cell);
        }
        else
        {
            (actor as InternalActorRef)?.Stop();
        }
    }

    /// <summary>Stops all actors, children before parents, then releases the scheduler. Idempotent.</summary>
    public Task Terminate()
    {
        if (Interlocked.Exchange(ref _terminateRequested, 1) == 0)
        {
            Log.LogDebug("Actor system {Name} terminating", Name);
            _guardian.Stop();
        }
        return _terminated.Task;
    }

    public async ValueTask DisposeAsync() => await Terminate().ConfigureAwait(false);

    public override string ToString() => RootPath.Address;

    internal static bool IsValidSystemName(string? name)
    {
        if (string.IsNullOrEmpty(name) || !char.IsAsciiLetterOrDigit(name[0]))
        {
            return false;
        }
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
            {
                return false;
            }
        }
        return true;
    }

    internal long NextTempId() => Interlocked.Increment(ref _tempSequence);

    internal void OnGuardianTerminated()
    {
        _ownedScheduler?.Dispose();
        Log.LogDebug("Actor system {Name} terminated", Name);
        _terminated.TrySetResult();
    }

    /// <summary>Publishes and (rate-limited) logs an undeliverable message.</summary>
    internal void PublishDeadLetter(object message, IActorRef? sender, IActorRef recipient)
    {
        if (message is DeadLetter)
        {
            // A dead letter that cannot reach its subscriber is not re-published: that could loop forever.
            return;
        }
        Interlocked.Increment(ref _deadLetterCount);
        EventStream.Publish(new DeadLetter(message, sender, recipient));
        if (ShouldLogDeadLetter())
        {
            Log.LogInformation("Dead letter: {MessageType} from {Sender} to {Recipient} was not delivered",
                message.GetType().Name, sender?.Path.ToString() ?? "no sender", recipient.Path);
        }
    }

    private bool ShouldLogDeadLetter()
    {
        var limit = Settings.DeadLetterLogLimitPerSecond;
        if (limit <= 0 || !Log.IsEnabled(LogLevel.Information))
        {
            return false;
        }
        var now = Environment.TickCount64;
        var windowStart = Interlocked.Read(ref _deadLetterWindowStart);
        if (now - windowStart >= 1000 && Interlocked.CompareExchange(ref _deadLetterWindowStart, now, windowStart) == windowStart)
        {
            Interlocked.Exchange(ref _deadLettersInWindow, 0);
        }
        return Interlocked.Increment(ref _deadLettersInWindow) <= limit;
    }
}
