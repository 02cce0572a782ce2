using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorStore.Actors;

/// <summary>
/// Real-time scheduler: a single <see cref="Timer"/> armed for the earliest due item of one priority queue,
/// so thousands of schedules cost no threads and one timer.
/// </summary>
public sealed class TimerScheduler : IScheduler, IDisposable
{
    private static readonly TimeSpan Resolution = TimeSpan.FromMilliseconds(1);

    private readonly Lock _gate = new();
    private readonly ScheduleQueue _queue = new();
    private readonly Timer _timer;
    private readonly long _startTimestamp = Stopwatch.GetTimestamp();
    private readonly ILogger _log;
    private TimeSpan _armedFor = TimeSpan.MaxValue;
    private bool _disposed;

    public TimerScheduler(ILogger? log = null)
    {
        _log = log ?? NullLogger.Instance;
        _timer = new Timer(static state => ((TimerScheduler)state!).OnTimer(), this, Timeout.Infinite, Timeout.Infinite);
    }

    public DateTimeOffset Now => DateTimeOffset.UtcNow;

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_startTimestamp);

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
        if (delay <= TimeSpan.Zero)
        {
            return Task.CompletedTask;
        }
        var work = ScheduledWork.ForDelay(DueIn(delay), cancellationToken);
        Add(work);
        return work.Completion!;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            _queue.CancelAll();
        }
        _timer.Dispose();
    }

    private TimeSpan DueIn(TimeSpan delay) => Elapsed + (delay > TimeSpan.Zero ? delay : TimeSpan.Zero);

    private ScheduledWork Add(ScheduledWork work)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                work.Cancel();
                return work;
            }
            _queue.Enqueue(work);
            if (work.Due < _armedFor)
            {
                Arm(work.Due);
            }
        }
        return work;
    }

    // Caller holds _gate.
    private void Arm(TimeSpan due)
    {
        _armedFor = due;
        var wait = due - Elapsed;
        // Round up to whole milliseconds so the timer never fires before the item is due.
        var milliseconds = Math.Max(Resolution.TotalMilliseconds, Math.Ceiling(wait.TotalMilliseconds));
        _timer.Change(TimeSpan.FromMilliseconds(milliseconds), Timeout.InfiniteTimeSpan);
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            // Whatever is added while we fire must re-arm the timer itself.
            _armedFor = TimeSpan.MaxValue;
        }
        while (true)
        {
            ScheduledWork work;
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }
                if (!_queue.TryDequeueDue(Elapsed, out work))
                {
                    if (_queue.TryPeekNextDue(out var next) && next < _armedFor)
                    {
                        Arm(next);
                    }
                    return;
                }
            }
            try
            {
                work.Fire();
            }
            catch (Exception ex)
            {
                _log.LogError(ex, "A scheduled action threw");
            }
            if (work.IsRepeating && !work.IsCancellationRequested)
            {
                lock (_gate)
                {
                    if (_disposed)
                    {
                        return;
                    }
                    // Fixed rate; if we fell behind, skip the missed beats instead of firing a burst.
                    var next = work.Due + work.Interval;
                    var now = Elapsed;
                    if (next <= now)
                    {
                        next = now + work.Interval;
                    }
                    work.Due = next;
                    _queue.Enqueue(work);
                }
            }
        }
    }
}
