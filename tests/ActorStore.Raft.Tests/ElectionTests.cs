using Raftpb;
using static ActorStore.Raft.Tests.Fixtures;

namespace ActorStore.Raft.Tests;

public sealed class ElectionTests
{
    [Fact]
    public void SingleVoterElectsItselfAndCommitsItsEmptyEntry()
    {
        var cluster = Cluster.Of(1);

        cluster.Elect(1);

        var status = cluster[1].Status;
        Assert.Equal(RaftRole.Leader, status.Role);
        Assert.Equal(2UL, status.Term);
        Assert.Equal(1UL, status.Lead);
        Assert.Equal(2UL, status.Commit);
        Assert.Equal(2UL, cluster[1].AppliedIndex);
    }

    [Fact]
    public void ThreeVotersElectOneLeaderThatEveryoneFollows()
    {
        var cluster = Cluster.Of(1, 2, 3);

        cluster.Elect(1);

        Assert.Equal(RaftRole.Leader, cluster[1].Status.Role);
        foreach (ulong id in new ulong[] { 2, 3 })
        {
            Assert.Equal(RaftRole.Follower, cluster[id].Status.Role);
            Assert.Equal(1UL, cluster[id].Status.Lead);
            Assert.Equal(2UL, cluster[id].Status.Term);
            Assert.Equal(2UL, cluster[id].Status.Commit);
        }

        Assert.Equal(1UL, cluster[2].Status.Vote);
    }

    [Fact]
    public void ElectionTimeoutIsRandomizedBetweenOneAndTwoElectionTicks()
    {
        var observed = new HashSet<int>();
        for (int seed = 0; seed < 40; seed++)
        {
            var storage = MemoryRaftLogStorage.CreateBootstrapped(Voters(1, 2, 3));
            var node = new RaftNode(Config(1) with { Random = new SeededRaftRandom(seed) }, storage);
            int ticks = 0;
            while (node.BasicStatus.Role == RaftRole.Follower)
            {
                node.Tick();
                ticks++;
                Assert.True(ticks < 100);
            }

            Assert.InRange(ticks, 10, 19);
            Assert.Equal(RaftRole.Candidate, node.BasicStatus.Role);
            observed.Add(ticks);
        }

        Assert.True(observed.Count > 3, "timeouts should vary with the random source");
    }

    [Fact]
    public void SameSeedGivesSameElectionTimeout()
    {
        int TicksToCampaign(int seed)
        {
            var node = new RaftNode(Config(1) with { Random = new SeededRaftRandom(seed) }, MemoryRaftLogStorage.CreateBootstrapped(Voters(1, 2)));
            int ticks = 0;
            while (node.BasicStatus.Role == RaftRole.Follower)
            {
                node.Tick();
                ticks++;
            }

            return ticks;
        }

        for (int seed = 0; seed < 10; seed++)
        {
            Assert.Equal(TicksToCampaign(seed), TicksToCampaign(seed));
        }
    }

    [Theory]
    [InlineData(3UL, 2UL, false)] // same last entry
    [InlineData(4UL, 2UL, false)] // longer log, same last term
    [InlineData(2UL, 2UL, true)] // shorter log, same last term
    [InlineData(9UL, 1UL, true)] // longer but older last term
    [InlineData(1UL, 3UL, false)] // shorter but newer last term
    public void VoteRequiresCandidateLogAtLeastAsUpToDate(ulong candidateLastIndex, ulong candidateLastTerm, bool expectReject)
    {
        // Voter log: index 1 (term 1, bootstrap), 2 (term 2), 3 (term 2).
        var storage = StorageWithTerms(Voters(1, 2, 3), currentTerm: 2, 2, 2);
        var node = new RaftNode(Config(1), storage);

        node.Step(Msg(MessageType.MsgVote, from: 2, to: 1, term: 5, index: candidateLastIndex, logTerm: candidateLastTerm));

        var response = Assert.Single(DrainMessages(node, storage));
        Assert.Equal(MessageType.MsgVoteResp, response.Type);
        Assert.Equal(2UL, response.To);
        Assert.Equal(expectReject, response.Reject);
        Assert.Equal(5UL, node.BasicStatus.Term);
        Assert.Equal(expectReject ? 0UL : 2UL, node.BasicStatus.Vote);
    }

    [Fact]
    public void VotesAtMostOnceInATermButRepeatsItsGrant()
    {
        var storage = MemoryRaftLogStorage.CreateBootstrapped(Voters(1, 2, 3));
        var node = new RaftNode(Config(1), storage);

        node.Step(Msg(MessageType.MsgVote, 2, 1, term: 5, index: 1, logTerm: 1));
        node.Step(Msg(MessageType.MsgVote, 3, 1, term: 5, index: 1, logTerm: 1));
        node.Step(Msg(MessageType.MsgVote, 2, 1, term: 5, index: 1, logTerm: 1));

        var responses = DrainMessages(node, storage);
        Assert.Equal(new[] { false, true, false }, responses.Select(m => m.Reject));
        Assert.Equal(new[] { 2UL, 3UL, 2UL }, responses.Select(m => m.To));
        Assert.Equal(2UL, storage.HardState.Vote);
    }

    [Fact]
    public void CandidateThatLosesTheVoteReturnsToFollower()
    {
        var storage = MemoryRaftLogStorage.CreateBootstrapped(Voters(1, 2, 3));
        var node = new RaftNode(Config(1), storage);
        node.Campaign();
        Assert.Equal(RaftRole.Candidate, node.BasicStatus.Role);
        ulong term = node.BasicStatus.Term;

        node.Step(Msg(MessageType.MsgVoteResp, 2, 1, term, reject: true));
        Assert.Equal(RaftRole.Candidate, node.BasicStatus.Role);
        node.Step(Msg(MessageType.MsgVoteResp, 3, 1, term, reject: true));

        Assert.Equal(RaftRole.Follower, node.BasicStatus.Role);
        Assert.Equal(term, node.BasicStatus.Term);
    }

    [Fact]
    public void CandidateBecomesLeaderOnMajorityAndSendsAppends()
    {
        var storage = MemoryRaftLogStorage.CreateBootstrapped(Voters(1, 2, 3));
        var node = new RaftNode(Config(1), storage);
        node.Campaign();
        var requests = DrainMessages(node, storage);
        Assert.Equal(new[] { 2UL, 3UL }, requests.Select(m => m.To));
        Assert.All(requests, m => Assert.Equal(MessageType.MsgVote, m.Type));

        node.Step(Msg(MessageType.MsgVoteResp, 2, 1, node.BasicStatus.Term));

        Assert.Equal(RaftRole.Leader, node.BasicStatus.Role);
        var appends = DrainMessages(node, storage);
        Assert.Equal(new[] { 2UL, 3UL }, appends.Select(m => m.To));
        Assert.All(appends, m => Assert.Equal(MessageType.MsgApp, m.Type));
    }

    [Fact]
    public void MajoritySideElectsALeaderWhileOneVoterIsDown()
    {
        var cluster = Cluster.Of(1, 2, 3);
        cluster.Isolate(3);

        cluster.Elect(1);

        Assert.Equal(RaftRole.Leader, cluster[1].Status.Role);
        Assert.Equal(1UL, cluster[2].Status.Lead);
    }

    [Fact]
    public void MinoritySideCannotElectALeader()
    {
        var cluster = Cluster.Of(1, 2, 3);
        cluster.Isolate(1);

        cluster.Elect(1);

        Assert.NotEqual(RaftRole.Leader, cluster[1].Status.Role);
    }

    [Fact]
    public void LeaderStepsDownWhenItSeesAHigherTerm()
    {
        var cluster = Cluster.Of(1, 2, 3);
        cluster.Elect(1);

        cluster[1].Node.Step(Msg(MessageType.MsgAppResp, 2, 1, term: 9));

        Assert.Equal(RaftRole.Follower, cluster[1].Status.Role);
        Assert.Equal(9UL, cluster[1].Status.Term);
        Assert.Equal(0UL, cluster[1].Status.Lead);
    }

    [Fact]
    public void OnlyAMemberWithAnUpToDateLogCanWin()
    {
        var cluster = new Cluster([1, 2, 3], configure: c => c with { CheckQuorum = false });
        cluster.Elect(1);
        cluster.Isolate(3);
        cluster.Propose(1, "a");
        cluster.Propose(1, "b");
        cluster.Heal();
        cluster.Isolate(1);

        // Member 3 missed "a" and "b": member 2 refuses it even a pre-vote.
        cluster.Elect(3);
        Assert.NotEqual(RaftRole.Leader, cluster[3].Status.Role);

        cluster.Elect(2);
        Assert.Equal(RaftRole.Leader, cluster[2].Status.Role);
        cluster.Propose(2, "c");
        Assert.Equal(new[] { "a", "b", "c" }, cluster[3].Applied);
    }
}
