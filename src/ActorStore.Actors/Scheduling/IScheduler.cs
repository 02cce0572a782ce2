namespace ActorStore.Actors;

/// <summary>
/// Time for actors. The real implementation is <see cref="TimerScheduler"/>; tests use <see cref="TestScheduler"/>,
/// whose clock only moves when told to, so timing-dependent behaviour is deterministic.
/// </summary>
public interface IScheduler
{
    /// <summary>Wall-clock time (virtual for <see cref="TestScheduler"/>).</summary>
    DateTimeOffset Now { get; }

    /// <summary>Monotonic time since the scheduler started; use it for durations and timeouts.</summary>
    TimeSpan Elapsed { get; }

    ICancelable ScheduleTellOnce(TimeSpan delay, IActorRef receiver, object message, IActorRef? sender = null);

    ICancelable ScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, IActorRef receiver, object message, IActorRef? sender = null);

    /// <summary>Runs <paramref name="action"/> on the scheduler's thread: keep it short and thread-safe (prefer Tell).</summary>
    ICancelable ScheduleOnce(TimeSpan delay, Action action);

    /// <summary>A task that completes after <paramref name="delay"/> on this scheduler's clock.</summary>
    Task Delay(TimeSpan delay, CancellationToken cancellationToken = default);
}
