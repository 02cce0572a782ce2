using Raftpb;
using static ActorStore.Raft.Tests.Fixtures;

namespace ActorStore.Raft.Tests;

public sealed class MembershipTests
{
    private static ConfChange Change(ConfChangeType type, ulong node) => new() { Type = type, NodeId = node };

    [Fact]
    public void AddedVoterJoinsFromEmptyStorageAndCountsTowardsTheQuorum()
    {
        var cluster = Cluster.Of(1, 2, 3);
        cluster.Elect(1);
        cluster.Propose(1, "before");

        cluster[1].Node.ProposeConfChange(Change(ConfChangeType.ConfChangeAddNode, 4));
        cluster.Add(4, new MemoryRaftLogStorage());
        cluster.Stabilize();
        cluster.Tick(1);
        cluster.Stabilize();

        var joined = cluster[4];
        Assert.Contains(cluster.Sent, m => m.Type == MessageType.MsgSnap && m.To == 4);
        Assert.Equal(new ulong[] { 1, 2, 3, 4 }, joined.Node.Status.Voters);
        Assert.Equal(new ulong[] { 1, 2, 3, 4 }, cluster[1].Node.Status.Voters);
        Assert.Equal(cluster[1].LogShape().Last(), joined.LogShape().Last());

        // Four voters need three acknowledgements: the leader plus member 4 are not enough.
        cluster.Isolate(2);
        cluster.Isolate(3);
        ulong commit = cluster[1].Status.Commit;
        cluster.Propose(1, "needs-three");
        Assert.Equal(commit, cluster[1].Status.Commit);
    }

    [Fact]
    public void SecondMembershipChangeIsRefusedUntilTheFirstIsApplied()
    {
        var cluster = Cluster.Of(1, 2, 3);
        cluster.Elect(1);
        cluster.Isolate(2);
        cluster.Isolate(3);

        cluster[1].Node.ProposeConfChange(Change(ConfChangeType.ConfChangeAddLearnerNode, 4));
        cluster.Stabilize();
        Assert.Throws<ProposalDroppedException>(() =>
            cluster[1].Node.ProposeConfChange(Change(ConfChangeType.ConfChangeAddLearnerNode, 5)));

        cluster.Heal();
        cluster.Tick(1);
        cluster.Stabilize();
        Assert.Equal(new ulong[] { 4 }, cluster[1].Node.Status.Learners);

        cluster[1].Node.ProposeConfChange(Change(ConfChangeType.ConfChangeAddLearnerNode, 5));
        cluster.Stabilize();
        Assert.Equal(new ulong[] { 4, 5 }, cluster[1].Node.Status.Learners);
    }

    [Fact]
    public void LearnerReceivesTheLogButNeitherVotesTowardsCommitNorCampaigns()
    {
        var cluster = new Cluster([1, 2, 3], learners: [4]);
        cluster.Elect(1);
        cluster.Propose(1, "a");
        Assert.Equal(new[] { "a" }, cluster[4].Applied);
        Assert.True(cluster[1].Node.Status.Progress[4].IsLearner);

        cluster.Isolate(2);
        cluster.Isolate(3);
        ulong commit = cluster[1].Status.Commit;
        cluster.Propose(1, "b");
        Assert.Equal(commit, cluster[1].Status.Commit);

        ulong term = cluster[4].Status.Term;
        cluster.Isolate(1);
        cluster.Tick(4, 100);
        Assert.Equal(RaftRole.Follower, cluster[4].Status.Role);
        Assert.Equal(term, cluster[4].Status.Term);
    }

    [Fact]
    public void LearnerPromotedToVoterCanLead()
    {
        var cluster = new Cluster([1, 2, 3], learners: [4]);
        cluster.Elect(1);

        cluster[1].Node.ProposeConfChange(Change(ConfChangeType.ConfChangeAddNode, 4));
        cluster.Stabilize();

        Assert.Equal(new ulong[] { 1, 2, 3, 4 }, cluster[4].Node.Status.Voters);
        Assert.Empty(cluster[4].Node.Status.Learners);
        cluster[1].Node.TransferLeader(4);
        cluster.Stabilize();
        Assert.Equal(RaftRole.Leader, cluster[4].Status.Role);
    }

    [Fact]
    public void RemovedFollowerShrinksTheQuorumAndNeverCampaigns()
    {
        var cluster = Cluster.Of(1, 2, 3);
        cluster.Elect(1);

        cluster[1].Node.ProposeConfChange(Change(ConfChangeType.ConfChangeRemoveNode, 3));
        cluster.Stabilize();
        Assert.Equal(new ulong[] { 1, 2 }, cluster[3].Membership!.Voters);
        Assert.Equal(new ulong[] { 1, 2 }, cluster[1].Node.Status.Voters);

        cluster.Isolate(3);
        cluster.Propose(1, "two-of-two");
        Assert.Equal(new[] { "two-of-two" }, cluster[2].Applied);

        ulong term = cluster[3].Status.Term;
        cluster.Tick(3, 100);
        Assert.Equal(RaftRole.Follower, cluster[3].Status.Role);
        Assert.Equal(term, cluster[3].Status.Term);
    }

    [Fact]
    public void RemovedLeaderHandsOverAndStopsCampaigning()
    {
        var cluster = Cluster.Of(1, 2, 3);
        cluster.Elect(1);

        cluster[1].Node.ProposeConfChange(Change(ConfChangeType.ConfChangeRemoveNode, 1));
        cluster.Stabilize();

        Assert.Equal(RaftRole.Follower, cluster[1].Status.Role);
        ulong? leader = cluster.Leader();
        Assert.NotNull(leader);
        Assert.NotEqual(1UL, leader);
        Assert.Equal(new ulong[] { 2, 3 }, cluster[leader.Value].Node.Status.Voters);

        cluster.Propose(leader.Value, "after");
        Assert.Equal(new[] { "after" }, cluster[2].Applied);
        Assert.Equal(new[] { "after" }, cluster[3].Applied);

        ulong term = cluster[1].Status.Term;
        cluster.Isolate(1);
        cluster.Tick(1, 100);
        Assert.NotEqual(RaftRole.Leader, cluster[1].Status.Role);
        Assert.NotEqual(RaftRole.Candidate, cluster[1].Status.Role);
        Assert.Equal(term, cluster[1].Status.Term);
    }

    [Fact]
    public void MemberDoesNotCampaignWhileACommittedMembershipChangeIsUnapplied()
    {
        var cluster = Cluster.Of(1, 2, 3);
        cluster.Elect(1);
        cluster[1].Node.ProposeConfChange(Change(ConfChangeType.ConfChangeAddLearnerNode, 4));
        cluster.Stabilize();

        // After a restart the change is committed but not yet re-applied.
        var restarted = cluster.Restart(2);
        restarted.Node.Campaign();
        Assert.Equal(RaftRole.Follower, restarted.Status.Role);

        cluster.Process(2);
        restarted.Node.Campaign();
        Assert.NotEqual(RaftRole.Follower, restarted.Status.Role);
    }

    [Fact]
    public void NoOpChangesLeaveTheMembershipAlone()
    {
        var storage = MemoryRaftLogStorage.CreateBootstrapped(Voters(1, 2));
        var node = new RaftNode(Config(1), storage);

        var afterAdd = node.ApplyConfChange(Change(ConfChangeType.ConfChangeAddNode, 2));
        var afterUpdate = node.ApplyConfChange(Change(ConfChangeType.ConfChangeUpdateNode, 2));
        var afterZero = node.ApplyConfChange(Change(ConfChangeType.ConfChangeRemoveNode, 0));

        Assert.All(new[] { afterAdd, afterUpdate, afterZero }, state => Assert.Equal(new ulong[] { 1, 2 }, state.Voters));
    }

    [Fact]
    public void VoterCanBeDemotedToLearnerButTheLastVoterStays()
    {
        var storage = MemoryRaftLogStorage.CreateBootstrapped(Voters(1, 2));
        var node = new RaftNode(Config(1), storage);

        var demoted = node.ApplyConfChange(Change(ConfChangeType.ConfChangeAddLearnerNode, 2));
        Assert.Equal(new ulong[] { 1 }, demoted.Voters);
        Assert.Equal(new ulong[] { 2 }, demoted.Learners);

        var lastRemoved = node.ApplyConfChange(Change(ConfChangeType.ConfChangeRemoveNode, 1));
        Assert.Equal(new ulong[] { 1 }, lastRemoved.Voters);
    }
}
