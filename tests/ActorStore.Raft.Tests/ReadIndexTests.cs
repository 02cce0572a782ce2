using Raftpb;
using static ActorStore.Raft.Tests.Fixtures;

namespace ActorStore.Raft.Tests;

public sealed class ReadIndexTests
{
    [Fact]
    public void LeaderConfirmsReadIndexWithAHeartbeatRound()
    {
        var cluster = Cluster.Of(1, 2, 3);
        cluster.Elect(1);
        cluster.Propose(1, "a");

        cluster[1].Node.ReadIndex(Text("read-1"));
        cluster.Process(1);
        Assert.Empty(cluster[1].ReadStates);
        Assert.Equal(2, cluster.InFlight.Count(m => m.Type == MessageType.MsgHeartbeat && m.Context == Text("read-1")));

        cluster.Stabilize();

        var state = Assert.Single(cluster[1].ReadStates);
        Assert.Equal(3UL, state.Index);
        Assert.Equal("read-1", state.RequestContext.ToStringUtf8());
    }

    [Fact]
    public void ReadIndexIsNotConfirmedWithoutAQuorum()
    {
        var cluster = Cluster.Of(1, 2, 3);
        cluster.Elect(1);
        cluster.Isolate(1);

        cluster[1].Node.ReadIndex(Text("read"));
        cluster.Stabilize();

        Assert.Empty(cluster[1].ReadStates);
    }

    [Fact]
    public void OneAcknowledgementIsEnoughInAThreeMemberGroup()
    {
        var cluster = Cluster.Of(1, 2, 3);
        cluster.Elect(1);
        cluster.Isolate(3);

        cluster[1].Node.ReadIndex(Text("read"));
        cluster.Stabilize();

        Assert.Equal(2UL, Assert.Single(cluster[1].ReadStates).Index);
    }

    [Fact]
    public void FollowerReadIndexIsForwardedAndAnsweredByTheLeader()
    {
        var cluster = Cluster.Of(1, 2, 3);
        cluster.Elect(1);
        cluster.Propose(1, "a");

        cluster[2].Node.ReadIndex(Text("follower-read"));
        cluster.Stabilize();

        Assert.Contains(cluster.Sent, m => m.Type == MessageType.MsgReadIndex && m.From == 2 && m.To == 1);
        Assert.Contains(cluster.Sent, m => m.Type == MessageType.MsgReadIndexResp && m.From == 1 && m.To == 2);
        var state = Assert.Single(cluster[2].ReadStates);
        Assert.Equal(3UL, state.Index);
        Assert.Equal("follower-read", state.RequestContext.ToStringUtf8());
        Assert.Empty(cluster[1].ReadStates);
    }

    [Fact]
    public void ReadIndexWaitsUntilTheNewLeaderCommitsAnEntryOfItsTerm()
    {
        var cluster = Cluster.Of(1, 2, 3);
        cluster[1].Node.Campaign();
        cluster.Process(1);
        var electionTraffic = new[] { MessageType.MsgPreVote, MessageType.MsgPreVoteResp, MessageType.MsgVote, MessageType.MsgVoteResp };
        while (cluster[1].Status.Role != RaftRole.Leader)
        {
            cluster.DeliverWhere(m => electionTraffic.Contains(m.Type));
        }

        cluster[1].Node.ReadIndex(Text("early"));
        cluster.Process(1);
        Assert.DoesNotContain(cluster.InFlight, m => m.Type == MessageType.MsgHeartbeat);
        Assert.Equal(1UL, cluster[1].Status.Commit);

        cluster.Stabilize();

        var state = Assert.Single(cluster[1].ReadStates);
        Assert.Equal(2UL, state.Index);
    }

    [Fact]
    public void SingleVoterAnswersReadIndexAtOnce()
    {
        var cluster = Cluster.Of(1);
        cluster.Elect(1);

        cluster[1].Node.ReadIndex(Text("solo"));
        cluster.Process(1);

        Assert.Equal(2UL, Assert.Single(cluster[1].ReadStates).Index);
        Assert.Empty(cluster.InFlight);
    }

    [Fact]
    public void ReadIndexWithoutALeaderIsDropped()
    {
        var cluster = Cluster.Of(1, 2, 3);

        cluster[2].Node.ReadIndex(Text("nowhere"));
        cluster.Stabilize();

        Assert.Empty(cluster[2].ReadStates);
        Assert.DoesNotContain(cluster.Sent, m => m.Type == MessageType.MsgReadIndex);
    }
}
