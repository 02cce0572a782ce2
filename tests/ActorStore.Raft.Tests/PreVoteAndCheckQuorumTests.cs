using Raftpb;
using static ActorStore.Raft.Tests.Fixtures;

namespace ActorStore.Raft.Tests;

public sealed class PreVoteAndCheckQuorumTests
{
    [Fact]
    public void IsolatedMemberWithPreVoteDoesNotRaiseTheTermOrDisruptTheLeader()
    {
        var cluster = Cluster.Of(1, 2, 3);
        cluster.Elect(1);
        cluster.Isolate(3);

        cluster.Tick(3, 200);
        cluster.Stabilize();
        Assert.Equal(2UL, cluster[3].Status.Term);
        Assert.Equal(RaftRole.PreCandidate, cluster[3].Status.Role);

        cluster.Heal();
        cluster.Tick(1);
        cluster.Stabilize();

        Assert.Equal(RaftRole.Leader, cluster[1].Status.Role);
        Assert.Equal(2UL, cluster[1].Status.Term);
        Assert.Equal(RaftRole.Follower, cluster[3].Status.Role);
        Assert.Equal(1UL, cluster[3].Status.Lead);
    }

    [Fact]
    public void WithoutPreVoteAnIsolatedMemberDisruptsTheLeaderOnReturn()
    {
        var cluster = new Cluster([1, 2, 3], configure: c => c with { PreVote = false, CheckQuorum = false });
        cluster.Elect(1);
        cluster.Isolate(3);

        cluster.Tick(3, 200);
        Assert.True(cluster[3].Status.Term > 5);

        cluster.Heal();
        cluster.Tick(3, 30);
        cluster.Stabilize();

        Assert.True(cluster[1].Status.Term > 2, "the leader was forced into a new term");
    }

    [Fact]
    public void PreVoteIsRefusedWhenTheCandidateLogIsBehind()
    {
        var storage = StorageWithTerms(Voters(1, 2, 3), currentTerm: 2, 2, 2);
        var node = new RaftNode(Config(1, preVote: true), storage);

        node.Step(Msg(MessageType.MsgPreVote, 2, 1, term: 3, index: 2, logTerm: 2));

        var response = Assert.Single(DrainMessages(node, storage));
        Assert.Equal(MessageType.MsgPreVoteResp, response.Type);
        Assert.True(response.Reject);
        Assert.Equal(2UL, response.Term);
        Assert.Equal(2UL, node.BasicStatus.Term);
    }

    [Fact]
    public void GrantedPreVoteDoesNotChangeTermOrVote()
    {
        var storage = StorageWithTerms(Voters(1, 2, 3), currentTerm: 2, 2);
        var node = new RaftNode(Config(1, preVote: true), storage);

        node.Step(Msg(MessageType.MsgPreVote, 2, 1, term: 3, index: 2, logTerm: 2));

        var response = Assert.Single(DrainMessages(node, storage));
        Assert.False(response.Reject);
        Assert.Equal(3UL, response.Term);
        Assert.Equal(2UL, node.BasicStatus.Term);
        Assert.Equal(0UL, node.BasicStatus.Vote);
    }

    [Fact]
    public void PreCandidateBecomesCandidateOnlyAfterAPreVoteMajority()
    {
        var storage = MemoryRaftLogStorage.CreateBootstrapped(Voters(1, 2, 3));
        var node = new RaftNode(Config(1, preVote: true), storage);

        node.Campaign();
        Assert.Equal(RaftRole.PreCandidate, node.BasicStatus.Role);
        Assert.Equal(1UL, node.BasicStatus.Term);
        var requests = DrainMessages(node, storage);
        Assert.All(requests, m => Assert.Equal(MessageType.MsgPreVote, m.Type));
        Assert.All(requests, m => Assert.Equal(2UL, m.Term));

        node.Step(Msg(MessageType.MsgPreVoteResp, 2, 1, term: 2));

        Assert.Equal(RaftRole.Candidate, node.BasicStatus.Role);
        Assert.Equal(2UL, node.BasicStatus.Term);
    }

    [Fact]
    public void LeaderWithoutQuorumActivityStepsDown()
    {
        var cluster = Cluster.Of(1, 2, 3);
        cluster.Elect(1);
        cluster.Isolate(1);

        // The first check still sees the answers from the election period.
        cluster.Tick(1, 10);
        Assert.Equal(RaftRole.Leader, cluster[1].Status.Role);

        cluster.Tick(1, 10);
        Assert.Equal(RaftRole.Follower, cluster[1].Status.Role);
        Assert.Equal(2UL, cluster[1].Status.Term);
    }

    [Fact]
    public void LeaderWithActiveQuorumStaysLeader()
    {
        var cluster = Cluster.Of(1, 2, 3);
        cluster.Elect(1);
        cluster.Isolate(3);

        for (int i = 0; i < 50; i++)
        {
            cluster.Tick(1);
            cluster.Stabilize();
        }

        Assert.Equal(RaftRole.Leader, cluster[1].Status.Role);
    }

    [Fact]
    public void FollowerHearingFromItsLeaderIgnoresVoteRequestsUnlessForcedByATransfer()
    {
        var cluster = Cluster.Of(1, 2, 3);
        cluster.Elect(1);
        var follower = cluster[2];

        follower.Node.Step(Msg(MessageType.MsgVote, 3, 2, term: 3, index: 2, logTerm: 2));
        cluster.Process(2);
        Assert.DoesNotContain(cluster.TakeInFlight(), m => m.Type == MessageType.MsgVoteResp);
        Assert.Equal(2UL, follower.Status.Term);

        var forced = Msg(MessageType.MsgVote, 3, 2, term: 3, index: 2, logTerm: 2);
        forced.Context = Text("CampaignTransfer");
        follower.Node.Step(forced);
        cluster.Process(2);
        var response = Assert.Single(cluster.TakeInFlight(), m => m.Type == MessageType.MsgVoteResp);
        Assert.False(response.Reject);
        Assert.Equal(3UL, follower.Status.Term);
    }

    [Fact]
    public void DeposedLeaderLearnsTheNewTermFromAnswersToItsHeartbeats()
    {
        var cluster = Cluster.Of(1, 2, 3);
        cluster.Elect(1);
        cluster.Isolate(1);
        ulong newLeader = TickUntilLeaderAmong(cluster, 2, 3);
        ulong newTerm = cluster[newLeader].Status.Term;
        Assert.Equal(RaftRole.Leader, cluster[1].Status.Role);

        cluster.Heal();
        cluster.Tick(1);
        cluster.Stabilize();

        Assert.Equal(RaftRole.Follower, cluster[1].Status.Role);
        Assert.Equal(newTerm, cluster[1].Status.Term);
        Assert.Equal(RaftRole.Leader, cluster[newLeader].Status.Role);
        Assert.Equal(newTerm, cluster[newLeader].Status.Term);
    }
}
