using System.Diagnostics;
using ActorStore.Raft.Shell;
using Xunit;

namespace ActorStore.Raft.Tests;

public sealed class HeartbeatTimelinessTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private static long At(int milliseconds) => (long)(milliseconds / 1000.0 * Stopwatch.Frequency);

    [Fact]
    public void A_heartbeat_later_than_twice_the_interval_after_the_previous_one_to_the_same_peer_is_late_by_the_excess()
    {
        var timeliness = new HeartbeatTimeliness(Interval);

        Assert.Null(timeliness.Observe(2, At(0)));
        Assert.Null(timeliness.Observe(3, At(150)));
        Assert.Null(timeliness.Observe(2, At(200)));
        var late = timeliness.Observe(2, At(450));
        Assert.NotNull(late);
        Assert.InRange(late.Value.TotalMilliseconds, 49.9, 50.1);
        Assert.Null(timeliness.Observe(3, At(340)));
    }

    [Fact]
    public void After_a_leader_change_intervals_start_over()
    {
        var timeliness = new HeartbeatTimeliness(Interval);
        Assert.Null(timeliness.Observe(2, At(0)));

        timeliness.Reset();

        Assert.Null(timeliness.Observe(2, At(5_000)));
    }
}
