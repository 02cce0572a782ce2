using Akka.Actor;
using ActorStore.Raft;
using ActorStore.Raft.Shell;
using ActorStore.Server.Apply;
using ActorStore.Server.Lease;
using Lessorpb;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace ActorStore.Server.Tests.Lease;

/// <summary>The lessor on virtual time: leases expire only on the leader, keep-alives push expiry out, a new leader extends.</summary>
public sealed class LessorActorTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan ElectionTimeout = TimeSpan.FromSeconds(1);
    private readonly RaftStateBoard _board = new();
    private readonly List<long> _revoked = new();
    private readonly IActorRef _lessor;

    public LessorActorTests()
        : base(VirtualTimeConfig.Config)
    {
        _lessor = ActorOf(Props.Create(() => new LessorActor(
            _board, ElectionTimeout, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(3), NullLogger.Instance)));
        var apply = ActorOf(Props.Create(() => new CaughtUpApply()));
        _lessor.Tell(new LessorWiring(apply, id =>
        {
            lock (_revoked)
            {
                _revoked.Add(id);
            }
            return Task.CompletedTask;
        }));
    }

    [Fact]
    public void A_follower_never_expires_leases_and_sends_keep_alives_to_the_leader()
    {
        _board.Publish(new RaftObservedState(2, 9, RaftRole.Follower, 0, 0));
        _lessor.Tell(new LeaseGranted(1, 5));
        AdvanceBy(TimeSpan.FromSeconds(30));

        Assert.Empty(Revoked());
        _lessor.Tell(new RenewLease { Id = 1 }, TestActor);
        Assert.Equal(LessorAnswer.Types.Outcome.NotPrimary, ExpectMsg<LessorAnswer>().Outcome);
    }

    [Fact]
    public void On_the_leader_a_lease_expires_after_its_ttl_plus_the_takeover_extension()
    {
        _lessor.Tell(new LeaseGranted(1, 5));
        BecomeLeader(term: 3);

        AdvanceBy(TimeSpan.FromSeconds(5.5));
        Assert.Empty(Revoked());
        AdvanceBy(TimeSpan.FromSeconds(0.6));
        Assert.Equal([1L], Revoked());
    }

    [Fact]
    public void A_keep_alive_renews_the_full_ttl()
    {
        BecomeLeader(term: 3);
        _lessor.Tell(new LeaseGranted(1, 5));
        AdvanceBy(TimeSpan.FromSeconds(4));

        _lessor.Tell(new RenewLease { Id = 1 }, TestActor);
        var renewed = ExpectMsg<LessorAnswer>();
        Assert.Equal((LessorAnswer.Types.Outcome.Ok, 5L), (renewed.Outcome, renewed.Ttl));

        AdvanceBy(TimeSpan.FromSeconds(4));
        Assert.Empty(Revoked());
        _lessor.Tell(new QueryTimeToLive { Id = 1 }, TestActor);
        var left = ExpectMsg<LessorAnswer>();
        Assert.Equal((1L, 5L), (left.Ttl, left.GrantedTtl));

        AdvanceBy(TimeSpan.FromSeconds(1.1));
        Assert.Equal([1L], Revoked());
    }

    [Fact]
    public void A_keep_alive_after_expiry_is_answered_not_found_once_the_revocation_is_applied()
    {
        BecomeLeader(term: 3);
        _lessor.Tell(new LeaseGranted(1, 2));
        AdvanceBy(TimeSpan.FromSeconds(2.1));
        Assert.Equal([1L], Revoked());

        // The keys are still there until the revocation is applied: "not found" must not come before.
        _lessor.Tell(new RenewLease { Id = 1 }, TestActor);
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        _lessor.Tell(new LeaseRevoked(1));
        Assert.Equal(LessorAnswer.Types.Outcome.NotFound, ExpectMsg<LessorAnswer>().Outcome);
    }

    [Fact]
    public void A_keep_alive_held_for_a_revocation_is_sent_on_when_the_leader_steps_down()
    {
        BecomeLeader(term: 3);
        _lessor.Tell(new LeaseGranted(1, 2));
        AdvanceBy(TimeSpan.FromSeconds(2.1));
        _lessor.Tell(new RenewLease { Id = 1 }, TestActor);
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        _board.Publish(new RaftObservedState(4, 9, RaftRole.Follower, 0, 0));
        VirtualTimeConfig.Of(Sys).Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(LessorAnswer.Types.Outcome.NotPrimary, ExpectMsg<LessorAnswer>().Outcome);
    }

    [Fact]
    public void An_expired_lease_is_revoked_again_until_the_revocation_is_applied()
    {
        BecomeLeader(term: 3);
        _lessor.Tell(new LeaseGranted(1, 2));
        AdvanceBy(TimeSpan.FromSeconds(2.1));
        Assert.Equal([1L], Revoked());
        AdvanceBy(TimeSpan.FromSeconds(3));
        Assert.Equal([1L, 1L], Revoked());

        _lessor.Tell(new LeaseRevoked(1));
        AdvanceBy(TimeSpan.FromSeconds(10));
        Assert.Equal([1L, 1L], Revoked());
        _lessor.Tell(new RenewLease { Id = 1 }, TestActor);
        Assert.Equal(LessorAnswer.Types.Outcome.NotFound, ExpectMsg<LessorAnswer>().Outcome);
    }

    [Fact]
    public void Losing_leadership_stops_expiry_and_the_next_term_extends_every_lease()
    {
        BecomeLeader(term: 3);
        _lessor.Tell(new LeaseGranted(1, 5));
        AdvanceBy(TimeSpan.FromSeconds(4));

        _board.Publish(new RaftObservedState(4, 9, RaftRole.Follower, 0, 0));
        AdvanceBy(TimeSpan.FromSeconds(20));
        Assert.Empty(Revoked());

        BecomeLeader(term: 5);
        AdvanceBy(TimeSpan.FromSeconds(5.9));
        Assert.Empty(Revoked());
        AdvanceBy(TimeSpan.FromSeconds(0.2));
        Assert.Equal([1L], Revoked());
    }

    [Fact]
    public async Task Leases_expiring_together_are_revoked_at_most_a_tick_budget_at_a_time()
    {
        var many = LessorActor.RevokesPerTick * 2 + 100;
        _lessor.Tell(new LeasesReset(Enumerable.Range(1, many).Select(id => ((long)id, 5L)).ToArray()));
        // Expiry falls between two ticks of the lessor (every 500 ms), so each window's budget is counted whole.
        AdvanceBy(TimeSpan.FromSeconds(0.25));
        BecomeLeader(term: 3);

        AdvanceBy(TimeSpan.FromSeconds(6.05));
        await RevokedReachesAsync(LessorActor.RevokesPerTick);
        AdvanceBy(TimeSpan.FromSeconds(0.5));
        await RevokedReachesAsync(2 * LessorActor.RevokesPerTick);
        AdvanceBy(TimeSpan.FromSeconds(0.5));
        await RevokedReachesAsync(many);
        Assert.Equal(many, Revoked().Distinct().Count());
    }

    [Fact]
    public void A_lease_the_leader_has_not_applied_yet_is_answered_once_the_leader_caught_up()
    {
        var gate = ActorOf(Props.Create(() => new GatedApply()));
        _lessor.Tell(new LessorWiring(gate, _ => Task.CompletedTask));
        BecomeLeaderBehind(gate, term: 3);

        _lessor.Tell(new RenewLease { Id = 7 }, TestActor);
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        // The grant committed before the question is applied, then the barrier opens.
        _lessor.Tell(new LeaseGranted(7, 30));
        gate.Tell(GatedApply.Open);

        var answer = ExpectMsg<LessorAnswer>();
        Assert.Equal((LessorAnswer.Types.Outcome.Ok, 30L), (answer.Outcome, answer.Ttl));
    }

    [Fact]
    public void Lease_list_holds_every_known_lease()
    {
        _lessor.Tell(new LeasesReset([(3L, 10L), (1L, 10L)]));
        _lessor.Tell(new LeaseGranted(2, 10));
        _lessor.Tell(new LeaseRevoked(3));
        _lessor.Tell(ListLeases.Instance, TestActor);
        Assert.Equal([1L, 2L], ExpectMsg<LeaseIds>().Ids);
    }

    private void BecomeLeader(ulong term)
    {
        _board.Publish(new RaftObservedState(term, 1, RaftRole.Leader, 0, 0));
        _lessor.Tell(new LeaderEntryApplied(term));
        // The lessor has taken over once it answers as the primary.
        _lessor.Tell(new RenewLease { Id = -1 }, TestActor);
        Assert.Equal(LessorAnswer.Types.Outcome.NotFound, ExpectMsg<LessorAnswer>().Outcome);
    }

    /// <summary>Moves virtual time in small steps so each step's timers and their follow-ups run before the next.</summary>
    private void AdvanceBy(TimeSpan span)
    {
        var step = TimeSpan.FromMilliseconds(100);
        for (var moved = TimeSpan.Zero; moved < span; moved += step)
        {
            VirtualTimeConfig.Of(Sys).Advance(step < span - moved ? step : span - moved);
            Settle();
        }
    }

    /// <summary>
    /// Waits until the lessor and lease 1 have handled what the last step sent them: a time-to-live question passes
    /// through the lessor to the lease actor, and whatever the lease actor told the lessor meanwhile is handled before
    /// the lessor answers the list that follows.
    /// </summary>
    private void Settle()
    {
        for (var round = 0; round < 2; round++)
        {
            _lessor.Tell(new QueryTimeToLive { Id = 1 }, TestActor);
            ExpectMsg<LessorAnswer>();
            _lessor.Tell(ListLeases.Instance, TestActor);
            ExpectMsg<LeaseIds>();
        }
    }

    /// <summary>Waits (virtual time standing still) until exactly <paramref name="count"/> revocations were asked for.</summary>
    private async Task RevokedReachesAsync(int count)
    {
        for (var i = 0; i < 200 && Revoked().Length < count; i++)
        {
            await Task.Delay(10);
        }
        await Task.Delay(50);
        Assert.Equal(count, Revoked().Length);
    }

    private long[] Revoked()
    {
        lock (_revoked)
        {
            return _revoked.ToArray();
        }
    }

    private void BecomeLeaderBehind(IActorRef gate, ulong term)
    {
        _board.Publish(new RaftObservedState(term, 1, RaftRole.Leader, 0, 0));
        _lessor.Tell(new LeaderEntryApplied(term));
        _lessor.Tell(new RenewLease { Id = -1 }, TestActor);
        gate.Tell(GatedApply.Open);
        Assert.Equal(LessorAnswer.Types.Outcome.NotFound, ExpectMsg<LessorAnswer>().Outcome);
        gate.Tell(GatedApply.Close);
    }

    /// <summary>An apply actor that holds barriers until it is opened (it has applied up to the commit index).</summary>
    private sealed class GatedApply : ReceiveActor
    {
        public const string Open = "open";
        public const string Close = "close";
        private readonly List<QueryAt> _held = new();
        private bool _open;

        public GatedApply()
        {
            Receive<QueryAt>(query =>
            {
                _held.Add(query);
                Release();
            });
            Receive<string>(command =>
            {
                _open = command == Open;
                Release();
            });
        }

        private void Release()
        {
            if (!_open)
            {
                return;
            }
            foreach (var query in _held)
            {
                query.Query.Completion.TrySetResult(new Etcdserverpb.LeaseLeasesResponse());
            }
            _held.Clear();
        }
    }

    /// <summary>An apply actor that has applied everything: barriers and queries are answered at once.</summary>
    private sealed class CaughtUpApply : ReceiveActor
    {
        public CaughtUpApply()
        {
            Receive<QueryAt>(query => query.Query.Completion.TrySetResult(new Etcdserverpb.LeaseLeasesResponse()));
            Receive<Query>(query => query.Completion.TrySetResult(new Etcdserverpb.LeaseTimeToLiveResponse()));
        }
    }
}
