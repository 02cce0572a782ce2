using Raftpb;
using static ActorStore.Raft.Tests.Fixtures;

namespace ActorStore.Raft.Tests;

public sealed class LeaderTransferTests
{
    [Fact]
    public void TransferToAnUpToDateFollowerHandsOverImmediately()
    {
        var cluster = Cluster.Of(1, 2, 3);
        cluster.Elect(1);

        cluster[1].Node.TransferLeader(2);
        cluster.Stabilize();

        Assert.Contains(cluster.Sent, m => m.Type == MessageType.MsgTimeoutNow && m.From == 1 && m.To == 2);
        Assert.Equal(RaftRole.Leader, cluster[2].Status.Role);
        Assert.Equal(3UL, cluster[2].Status.Term);
        Assert.Equal(RaftRole.Follower, cluster[1].Status.Role);
        Assert.Equal(2UL, cluster[1].Status.Lead);
    }

    [Fact]
    public void TransferToALaggingFollowerCatchesItUpFirst()
    {
        var cluster = Cluster.Of(1, 2, 3);
        cluster.Elect(1);
        cluster.Isolate(3);
        cluster.Propose(1, "a");
        cluster.Heal();
        int start = cluster.Sent.Count;

        cluster[1].Node.TransferLeader(3);
        cluster.Stabilize();

        Assert.Equal(RaftRole.Leader, cluster[3].Status.Role);
        Assert.Equal(new[] { "a" }, cluster[3].Applied);
        var timeoutNow = cluster.Sent.FindIndex(start, m => m.Type == MessageType.MsgTimeoutNow);
        var catchUp = cluster.Sent.FindIndex(start, m => m.Type == MessageType.MsgApp && m.To == 3 && m.Entries.Count > 0);
        Assert.True(catchUp >= 0 && catchUp < timeoutNow, "the transferee is caught up before it is told to campaign");
    }

    [Fact]
    public void ProposalsAreDroppedDuringATransferUntilItIsAbandoned()
    {
        var cluster = Cluster.Of(1, 2, 3);
        cluster.Elect(1);
        cluster.Isolate(3);

        cluster[1].Node.TransferLeader(3);
        cluster.Stabilize();
        Assert.Equal(3UL, cluster[1].Node.BasicStatus.LeadTransferee);
        Assert.Throws<ProposalDroppedException>(() => cluster[1].Node.Propose(Text("x")));

        // The transferee never answers; after an election timeout the leader gives up and accepts proposals again.
        for (int i = 0; i < 10; i++)
        {
            cluster.Tick(1);
            cluster.Stabilize();
        }

        Assert.Equal(0UL, cluster[1].Node.BasicStatus.LeadTransferee);
        Assert.Equal(RaftRole.Leader, cluster[1].Status.Role);
        cluster.Propose(1, "y");
        Assert.Equal(new[] { "y" }, cluster[2].Applied);
    }

    [Fact]
    public void TransferRequestedOnAFollowerIsForwardedWithItsTransferee()
    {
        var cluster = Cluster.Of(1, 2, 3);
        cluster.Elect(1);

        cluster[2].Node.TransferLeader(3);
        cluster.Stabilize();

        Assert.Equal(RaftRole.Leader, cluster[3].Status.Role);
    }

    [Fact]
    public void TransferToALearnerOrToItselfIsIgnored()
    {
        var cluster = new Cluster([1, 2, 3], learners: [4]);
        cluster.Elect(1);

        cluster[1].Node.TransferLeader(4);
        cluster[1].Node.TransferLeader(1);
        cluster.Stabilize();

        Assert.Equal(RaftRole.Leader, cluster[1].Status.Role);
        Assert.Equal(0UL, cluster[1].Node.BasicStatus.LeadTransferee);
        Assert.DoesNotContain(cluster.Sent, m => m.Type == MessageType.MsgTimeoutNow);
    }
}
