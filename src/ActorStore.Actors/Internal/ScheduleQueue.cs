namespace ActorStore.Actors;

/// <summary>
/// Due-time ordered queue shared by both schedulers; equal due times keep insertion order.
/// Not thread-safe: owners lock around it. Cancelled work is dropped lazily when it reaches the front.
/// </summary>
internal sealed class ScheduleQueue
{
    private readonly PriorityQueue<ScheduledWork, (long DueTicks, long Sequence)> _queue = new();
    private long _sequence;

    public int Count => _queue.Count;

    public void Enqueue(ScheduledWork work) => _queue.Enqueue(work, (work.Due.Ticks, _sequence++));

    public bool TryDequeueDue(TimeSpan now, out ScheduledWork work)
    {
        while (_queue.TryPeek(out work!, out var priority))
        {
            if (work.IsCancellationRequested)
            {
                _queue.Dequeue();
                continue;
            }
            if (priority.DueTicks > now.Ticks)
            {
                return false;
            }
            _queue.Dequeue();
            return true;
        }
        return false;
    }

    public bool TryPeekNextDue(out TimeSpan due)
    {
        while (_queue.TryPeek(out var work, out var priority))
        {
            if (work.IsCancellationRequested)
            {
                _queue.Dequeue();
                continue;
            }
            due = TimeSpan.FromTicks(priority.DueTicks);
            return true;
        }
        due = default;
        return false;
    }

    public int CountPending()
    {
        var pending = 0;
        foreach (var (work, _) in _queue.UnorderedItems)
        {
            if (!work.IsCancellationRequested)
            {
                pending++;
            }
        }
        return pending;
    }

    public void CancelAll()
    {
        while (_queue.TryDequeue(out var work, out _))
        {
            work.Cancel();
        }
    }
}
