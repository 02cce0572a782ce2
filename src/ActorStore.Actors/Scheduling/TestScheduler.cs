namespace ActorStore.Actors;

/// <summary>
/// Virtual-time scheduler: nothing fires until <see cref="Advance"/> moves the clock, and then due items fire
/// in due-time order (ties in scheduling order), each seeing <see cref="Elapsed"/> equal to its own due time.
/// Items due "now" (zero delay) fire on the next Advance, even <c>Advance(TimeSpan.Zero)</c>.
/// </summary>
public sealed class TestScheduler : IScheduler
{
    private readonly Lock _gate = new();
    private readonly ScheduleQueue _queue = new();
    private readonly DateTimeOffset _start;
    private long _elapsedTicks;

    public TestScheduler(DateTimeOffset? start = null)
    {
        _start = start ?? new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    }

    public DateTimeOffset Now => _start + Elapsed;

    public TimeSpan Elapsed => TimeSpan.FromTicks(Volatile.Read(ref _elapsedTicks));

    /// <summary>Number of scheduled, not yet fired and not cancelled items.</summary>
    public int PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _queue.CountPending();
            }
        }
    }

    public ICancelable ScheduleTellOnce(TimeSpan delay, IActorRef receiver, object message, IActorRef? sender = null) =>
        Add(ScheduledWork.ForTell(DueIn(delay), TimeSpan.Zero, receiver, message, sender));

    public ICancelable ScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, IActorRef receiver, object message, IActorRef? sender = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        return Add(ScheduledWork.ForTell(DueIn(initialDelay), interval, receiver, message, sender));
    }

    public ICancelable ScheduleOnce(TimeSpan delay, Action action) => Add(ScheduledWork.ForAction(DueIn(delay), action));

    public Task Delay(TimeSpan delay, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }
        var work = ScheduledWork.ForDelay(DueIn(delay), cancellationToken);
        Add(work);
        return work.Completion!;
    }

    /// <summary>Moves the clock forward by <paramref name="by"/>, firing everything that becomes due on the way.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        AdvanceTo(Elapsed + by);
    }

    /// <summary>Moves the clock to <paramref name="elapsed"/> (never backwards), firing due items in order.</summary>
    public void AdvanceTo(TimeSpan elapsed)
    {
        while (true)
        {
            ScheduledWork work;
            lock (_gate)
            {
                if (!_queue.TryDequeueDue(elapsed, out work))
                {
                    if (elapsed > Elapsed)
                    {
                        Volatile.Write(ref _elapsedTicks, elapsed.Ticks);
                    }
                    return;
                }
                if (work.Due > Elapsed)
                {
                    Volatile.Write(ref _elapsedTicks, work.Due.Ticks);
                }
            }
            work.Fire();
            if (work.IsRepeating && !work.IsCancellationRequested)
            {
                lock (_gate)
                {
                    work.Due += work.Interval;
                    _queue.Enqueue(work);
                }
            }
        }
    }

    private TimeSpan DueIn(TimeSpan delay) => Elapsed + (delay > TimeSpan.Zero ? delay : TimeSpan.Zero);

    private ScheduledWork Add(ScheduledWork work)
    {
        lock (_gate)
        {
            _queue.Enqueue(work);
        }
        return work;
    }
}
