using ActorStore.Server.Membership;
using Akka.Actor;
using Microsoft.Extensions.Logging;

namespace ActorStore.Server.Corruption;

/// <summary>
/// etcd's monitorKVHash: every --experimental-corrupt-check-time the leader runs one corruption check across the
/// members (never two at once); followers wait for their turn to lead.
/// </summary>
public sealed class CorruptionMonitor : ReceiveActor, IWithTimers
{
    private readonly Func<bool> _leading;
    private readonly Func<CancellationToken, Task<bool>> _check;
    private readonly TimeSpan _interval;
    private readonly ILogger _log;
    private readonly ulong _memberId;
    private readonly CancellationTokenSource _stopping = new();
    private bool _checking;

    public CorruptionMonitor(ulong memberId, TimeSpan interval, Func<bool> leading, Func<CancellationToken, Task<bool>> check, ILogger log)
    {
        _memberId = memberId;
        _interval = interval;
        _leading = leading;
        _check = check;
        _log = log;
        Receive<Tick>(_ => OnTick());
        Receive<Checked>(_ => _checking = false);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        _log.LogInformation("enabled corruption checking {local-member-id} {interval}", MemberIdentity.FormatId(_memberId), _interval);
        Timers.StartPeriodicTimer("tick", Tick.Instance, _interval);
    }

    protected override void PostStop()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private void OnTick()
    {
        if (_checking || !_leading())
        {
            return;
        }
        _checking = true;
        var log = _log;
        _check(_stopping.Token).ContinueWith(
            done =>
            {
                if (done.Exception?.GetBaseException() is { } error)
                {
                    log.LogWarning("failed to check hash KV {error}", error.Message);
                }
                return Checked.Instance;
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default).PipeTo(Self);
    }

    private sealed class Tick
    {
        public static readonly Tick Instance = new();
    }

    private sealed class Checked
    {
        public static readonly Checked Instance = new();
    }
}
