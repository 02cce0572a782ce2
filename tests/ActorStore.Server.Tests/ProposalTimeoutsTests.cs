using ActorStore.Protocol.Errors;
using ActorStore.Raft;
using ActorStore.Raft.Shell;
using Xunit;

namespace ActorStore.Server.Tests;

/// <summary>etcd's parseProposeCtxErr: which timeout a member names when a proposal's request gives up.</summary>
public sealed class ProposalTimeoutsTests
{
    private const ulong Self = 1;
    private static readonly TimeSpan ElectionTimeout = TimeSpan.FromSeconds(1);
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Proposed_shortly_before_this_member_became_leader_names_the_leader_failure()
    {
        var state = Leader(becameLeaderAt: Start.AddSeconds(1), links: Links((2, Working), (3, Working)));

        Assert.Equal(EtcdErrors.TimeoutDueToLeaderFail.Message, ProposalTimeouts.ErrorFor(Start, state, Self, ElectionTimeout).Message);
    }

    [Fact]
    public void Without_a_leader_it_is_a_plain_timeout()
    {
        var state = new RaftObservedState(2, 0, RaftRole.Follower, 0, 0);

        Assert.Equal(EtcdErrors.Timeout.Message, ProposalTimeouts.ErrorFor(Start, state, Self, ElectionTimeout).Message);
    }

    [Fact]
    public void A_follower_whose_link_to_the_leader_was_down_names_the_lost_connection()
    {
        var linkFailedMeanwhile = new RaftObservedState(2, 2, RaftRole.Follower, 0, 0, default, Links((2, new PeerLink(false, Start.AddSeconds(2))), (3, Down)));
        var linkUpThroughout = new RaftObservedState(2, 2, RaftRole.Follower, 0, 0, default, Links((2, new PeerLink(false, Start.AddSeconds(-5))), (3, Down)));

        Assert.Equal(EtcdErrors.TimeoutDueToConnectionLost.Message, ProposalTimeouts.ErrorFor(Start, linkFailedMeanwhile, Self, ElectionTimeout).Message);
        Assert.Equal(EtcdErrors.Timeout.Message, ProposalTimeouts.ErrorFor(Start, linkUpThroughout, Self, ElectionTimeout).Message);
    }

    [Fact]
    public void A_leader_cut_off_from_its_quorum_names_the_lost_connection()
    {
        var cutOff = Leader(becameLeaderAt: Start.AddMinutes(-1), links: Links((2, Down), (3, Down)));
        var withQuorum = Leader(becameLeaderAt: Start.AddMinutes(-1), links: Links((2, Working), (3, Down)));

        Assert.Equal(EtcdErrors.TimeoutDueToConnectionLost.Message, ProposalTimeouts.ErrorFor(Start, cutOff, Self, ElectionTimeout).Message);
        Assert.Equal(EtcdErrors.Timeout.Message, ProposalTimeouts.ErrorFor(Start, withQuorum, Self, ElectionTimeout).Message);
    }

    [Fact]
    public void Every_answer_is_unavailable_which_clients_do_not_resend_for_a_write()
    {
        var states = new[]
        {
            new RaftObservedState(2, 0, RaftRole.Follower, 0, 0),
            Leader(Start.AddSeconds(1), Links()),
            Leader(Start.AddMinutes(-1), Links((2, Down), (3, Down))),
        };

        Assert.All(states, state => Assert.Equal(StatusCode.Unavailable, ProposalTimeouts.ErrorFor(Start, state, Self, ElectionTimeout).Status));
    }

    private static readonly PeerLink Working = default;
    private static readonly PeerLink Down = new(IsDown: true, Start.AddSeconds(-30));

    private static RaftObservedState Leader(DateTimeOffset becameLeaderAt, IReadOnlyDictionary<ulong, PeerLink> links) =>
        new(2, Self, RaftRole.Leader, 0, 0, becameLeaderAt, links);

    private static Dictionary<ulong, PeerLink> Links(params (ulong Id, PeerLink Link)[] links) =>
        links.ToDictionary(link => link.Id, link => link.Link);
}
