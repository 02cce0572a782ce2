using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorStore.Actors;

/// <summary>Options of an <see cref="ActorSystem"/>; every property has a usable default.</summary>
public sealed record ActorSystemSettings
{
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>Null: the system creates (and later disposes) a <see cref="TimerScheduler"/>. Pass a <see cref="TestScheduler"/> for virtual time.</summary>
    public IScheduler? Scheduler { get; init; }

    /// <summary>Messages an actor handles per turn on a thread before yielding to others.</summary>
    public int Throughput { get; init; } = 64;

    /// <summary>Used by Ask when no timeout is given; <see cref="Timeout.InfiniteTimeSpan"/> waits forever.</summary>
    public TimeSpan DefaultAskTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How the user guardian supervises top-level actors; null means <see cref="SupervisorStrategy.DefaultStrategy"/>.</summary>
    public SupervisorStrategy? GuardianSupervisorStrategy { get; init; }

    /// <summary>Dead letters logged per second at most (all of them are still published on the event stream).</summary>
    public int DeadLetterLogLimitPerSecond { get; init; } = 10;
}
