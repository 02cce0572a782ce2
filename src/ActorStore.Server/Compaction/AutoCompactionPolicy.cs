namespace ActorStore.Server.Compaction;

/// <summary>
/// When etcd 3.4's auto-compactor compacts, as a pure state machine driven by ticks every <see cref="TickInterval"/>:
/// each tick says whether this member leads (only the leader compacts; a follower's compactor is paused) and the
/// current revision, and gets back the revision to compact at, if any. The outcome is reported back.
/// </summary>
public abstract class AutoCompactionPolicy
{
    public abstract TimeSpan TickInterval { get; }

    /// <summary>The retention for the log: the period, or the number of revisions.</summary>
    public abstract string Describe();

    public abstract long? OnTick(TimeSpan now, long currentRevision, bool leading);

    /// <summary>A compaction at <paramref name="revision"/> succeeded (or was already done: etcd's ErrCompacted counts as done).</summary>
    public abstract void Completed(TimeSpan now, long revision);

    /// <summary>The policy <paramref name="settings"/> ask for.</summary>
    public static AutoCompactionPolicy Create(AutoCompactionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Revisions is { } revisions ? new RevisionCompactionPolicy(revisions) : new PeriodicCompactionPolicy(settings.Period);
    }
}

/// <summary>
/// etcd's periodic compactor: every tenth of the period (of an hour at most) it notes the revision; once a period has
/// passed since the start, and then every period (an hour at most) since the last success, it compacts at the oldest
/// revision noted, the one from a period ago.
/// </summary>
public sealed class PeriodicCompactionPolicy : AutoCompactionPolicy
{
    private readonly TimeSpan _period;
    private readonly TimeSpan _compactInterval;
    private readonly int _retentions;
    private readonly Queue<long> _revisions = new();
    private TimeSpan _lastSuccess = TimeSpan.Zero;
    private TimeSpan _baseInterval;
    private bool _started;

    public PeriodicCompactionPolicy(TimeSpan period)
    {
        _period = period;
        _compactInterval = period > TimeSpan.FromHours(1) ? TimeSpan.FromHours(1) : period;
        TickInterval = _compactInterval / 10;
        _retentions = (int)(period / TickInterval) + 1;
        _baseInterval = period;
    }

    public override TimeSpan TickInterval { get; }

    public override string Describe() => _period.ToString();

    /// <summary>The first call (at the start) only notes the revision.</summary>
    public override long? OnTick(TimeSpan now, long currentRevision, bool leading)
    {
        if (!_started)
        {
            _started = true;
            _lastSuccess = now;
            Note(currentRevision);
            return null;
        }

        long? compactAt = null;
        if (leading && now - _lastSuccess >= _baseInterval)
        {
            _baseInterval = _compactInterval;
            compactAt = _revisions.Peek();
        }

        Note(currentRevision);
        return compactAt;
    }

    public override void Completed(TimeSpan now, long revision) => _lastSuccess = now;

    private void Note(long revision)
    {
        _revisions.Enqueue(revision);
        if (_revisions.Count > _retentions)
        {
            _revisions.Dequeue();
        }
    }
}

/// <summary>etcd's revision compactor: every five minutes, compacts at the current revision minus the retention, unless that was the last one done.</summary>
public sealed class RevisionCompactionPolicy(long retention) : AutoCompactionPolicy
{
    private long _previous;

    public long Retention => retention;

    public override TimeSpan TickInterval => TimeSpan.FromMinutes(5);

    public override string Describe() => retention.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public override long? OnTick(TimeSpan now, long currentRevision, bool leading)
    {
        var revision = currentRevision - retention;
        return leading && revision > 0 && revision != _previous ? revision : null;
    }

    public override void Completed(TimeSpan now, long revision) => _previous = revision;
}

/// <summary>--auto-compaction-mode and --auto-compaction-retention read: a period (periodic) or a number of revisions (revision).</summary>
public sealed record AutoCompactionSettings(TimeSpan Period, long? Revisions = null);
