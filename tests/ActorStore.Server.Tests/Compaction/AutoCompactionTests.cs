using ActorStore.Server.Compaction;
using Akka.Actor;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace ActorStore.Server.Tests.Compaction;

/// <summary>etcd 3.4's auto-compaction, both modes, on a virtual clock.</summary>
public sealed class AutoCompactionTests : Akka.TestKit.Xunit2.TestKit
{
    private readonly List<long> _compacted = [];
    private long _revision = 100;
    private bool _leading = true;

    public AutoCompactionTests()
        : base(VirtualTimeConfig.Config)
    {
    }

    [Fact]
    public void Revision_mode_compacts_every_five_minutes_at_the_retention_behind_the_current_revision_once_per_revision()
    {
        var policy = new RevisionCompactionPolicy(10);

        Assert.Equal(15, policy.OnTick(At(5), 25, leading: true));
        policy.Completed(At(5), 15);
        Assert.Null(policy.OnTick(At(10), 25, leading: true));
        Assert.Null(policy.OnTick(At(15), 30, leading: false));
        Assert.Equal(20, policy.OnTick(At(20), 30, leading: true));
        Assert.Null(policy.OnTick(At(25), 8, leading: true));
    }

    [Fact]
    public void Periodic_mode_compacts_first_after_one_period_at_the_revision_of_its_start_then_every_period_at_the_one_noted_a_period_before()
    {
        var policy = new PeriodicCompactionPolicy(TimeSpan.FromHours(1));
        Assert.Equal(TimeSpan.FromMinutes(6), policy.TickInterval);
        var compactions = new List<(int Minute, long Revision)>();

        // The revision is 100 plus the minute.
        for (var minute = 0; minute <= 132; minute += 6)
        {
            if (policy.OnTick(At(minute), 100 + minute, leading: true) is { } revision)
            {
                compactions.Add((minute, revision));
                policy.Completed(At(minute), revision);
            }
        }

        Assert.Equal([(60, 100L), (120, 154L)], compactions);
    }

    [Fact]
    public void Periodic_mode_with_a_short_period_compacts_every_period_and_a_follower_does_not_compact()
    {
        var policy = new PeriodicCompactionPolicy(TimeSpan.FromMinutes(10));
        var compactions = new List<int>();
        for (var minute = 0; minute <= 40; minute++)
        {
            if (policy.OnTick(At(minute), 1000 + minute, leading: minute < 25) is { } revision)
            {
                compactions.Add(minute);
                policy.Completed(At(minute), revision);
            }
        }

        Assert.Equal([10, 20], compactions);
    }

    [Fact]
    public void The_compactor_proposes_on_its_ticks_only_while_leading()
    {
        var compactor = Sys.ActorOf(Props.Create(() => new AutoCompactor(
            new RevisionCompactionPolicy(10), () => _leading, () => _revision, Compact, NullLogger.Instance)));
        var clock = VirtualTimeConfig.Of(Sys);

        // Once it answers, its timer is set (PreStart ran).
        compactor.Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(5)).Wait();
        clock.Advance(TimeSpan.FromMinutes(5));
        AwaitAssert(() => Assert.Equal([90L], Compacted()));

        _leading = false;
        _revision = 200;
        clock.Advance(TimeSpan.FromMinutes(5));
        // The tick is in the mailbox: an answer to a later message means the compactor saw it while not leading.
        compactor.Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(5)).Wait();
        _leading = true;
        clock.Advance(TimeSpan.FromMinutes(5));
        AwaitAssert(() => Assert.Equal([90L, 190L], Compacted()));
        Sys.Stop(compactor);
    }

    private Task Compact(long revision)
    {
        lock (_compacted)
        {
            _compacted.Add(revision);
        }

        return Task.CompletedTask;
    }

    private long[] Compacted()
    {
        lock (_compacted)
        {
            return [.. _compacted];
        }
    }

    private static TimeSpan At(int minutes) => TimeSpan.FromMinutes(minutes);
}
