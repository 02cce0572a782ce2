using Akka.Actor;
using Etcdserverpb;
using Microsoft.Extensions.Logging;

namespace ActorStore.Server.Compaction;

/// <summary>
/// Runs an <see cref="AutoCompactionPolicy"/> on the member: ticks on Akka's scheduler (virtual in tests), reads
/// whether the member leads and the current revision, and proposes the compactions the policy asks for through the
/// same path as a client's Compact, one at a time, with etcd's log lines.
/// </summary>
public sealed class AutoCompactor : ReceiveActor, IWithTimers
{
    private readonly AutoCompactionPolicy _policy;
    private readonly Func<bool> _leading;
    private readonly Func<long> _currentRevision;
    private readonly Func<long, Task> _compact;
    private readonly ILogger _log;
    private bool _compacting;

    public AutoCompactor(AutoCompactionPolicy policy, Func<bool> leading, Func<long> currentRevision, Func<long, Task> compact, ILogger log)
    {
        _policy = policy;
        _leading = leading;
        _currentRevision = currentRevision;
        _compact = compact;
        _log = log;
        Receive<Tick>(_ => OnTick());
        Receive<Outcome>(OnOutcome);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private TimeSpan Now => Context.System.Scheduler.MonotonicClock;

    protected override void PreStart()
    {
        _policy.OnTick(Now, _currentRevision(), _leading());
        Timers.StartPeriodicTimer("tick", Tick.Instance, _policy.TickInterval);
    }

    private void OnTick()
    {
        if (_compacting)
        {
            return;
        }

        if (_policy.OnTick(Now, _currentRevision(), _leading()) is not { } revision)
        {
            return;
        }

        _compacting = true;
        if (_policy is RevisionCompactionPolicy revisions)
        {
            _log.LogInformation("starting auto revision compaction {revision} {revision-compaction-retention}", revision, revisions.Retention);
        }
        else
        {
            _log.LogInformation("starting auto periodic compaction {revision} {compact-period}", revision, _policy.Describe());
        }

        _compact(revision).ContinueWith(
            done => new Outcome(revision, done.Exception?.GetBaseException()),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default).PipeTo(Self);
    }

    private void OnOutcome(Outcome outcome)
    {
        _compacting = false;
        var kind = _policy is RevisionCompactionPolicy ? "revision" : "periodic";

        // etcd counts "already compacted" as done.
        if (outcome.Error is null || outcome.Error.Message.Contains("required revision has been compacted", StringComparison.Ordinal))
        {
            _policy.Completed(Now, outcome.Revision);
            _log.LogInformation("completed auto compaction {mode} {revision} {retention}", kind, outcome.Revision, _policy.Describe());
            return;
        }

        _log.LogWarning("failed auto compaction {mode} {revision} {retention} {error}", kind, outcome.Revision, _policy.Describe(), outcome.Error.Message);
    }

    /// <summary>Compacts at <paramref name="revision"/> through the member, as a client's Compact would.</summary>
    public static Func<long, Task> Through(EtcdMember member) =>
        revision => member.CompactAsync(new CompactionRequest { Revision = revision });

    private sealed class Tick
    {
        public static readonly Tick Instance = new();
    }

    private sealed record Outcome(long Revision, Exception? Error);
}
