using Raftpb;
using static ActorStore.Raft.Tests.Fixtures;

namespace ActorStore.Raft.Tests;

public sealed class ReadyContractTests
{
    [Fact]
    public void OnlyOneReadyIsOutstandingAtATime()
    {
        var storage = MemoryRaftLogStorage.CreateBootstrapped(Voters(1, 2, 3));
        var node = new RaftNode(Config(1), storage);
        Assert.False(node.HasReady());

        node.Campaign();
        Assert.True(node.HasReady());
        var ready = node.GetReady();

        Assert.False(node.HasReady());
        Assert.Throws<InvalidOperationException>(() => node.GetReady());
        node.Step(Msg(MessageType.MsgVoteResp, 2, 1, ready.HardState!.Term));
        Assert.False(node.HasReady());

        node.Advance(ready);
        Assert.True(node.HasReady());
        Assert.Throws<InvalidOperationException>(() => node.Advance(ready));
    }

    [Fact]
    public void CandidateMustPersistTermAndVoteBeforeItsVoteRequestsLeave()
    {
        var storage = MemoryRaftLogStorage.CreateBootstrapped(Voters(1, 2, 3));
        var node = new RaftNode(Config(1), storage);

        node.Campaign();
        var ready = node.GetReady();

        Assert.True(ready.MustSync);
        Assert.Equal(2UL, ready.HardState!.Term);
        Assert.Equal(1UL, ready.HardState.Vote);
        Assert.Equal(RaftRole.Candidate, ready.SoftState!.Role);
        Assert.All(ready.Messages, m => Assert.False(Ready.MaySendBeforePersisting(m)));
    }

    [Fact]
    public void CommitOnlyChangeDoesNotRequireSync()
    {
        var cluster = Cluster.Of(1, 2, 3);
        cluster.Elect(1);
        cluster[1].Node.Propose(Text("x"));
        cluster.Process(1);
        cluster.DeliverWhere(m => m.To == 2);
        cluster.DeliverWhere(m => m.To == 2 ? false : m.From == 2);
        cluster.TakeInFlight();

        var follower = cluster[2].Node;
        cluster.Tick(1);
        var heartbeat = Assert.Single(cluster.InFlight, m => m.To == 2 && m.Type == MessageType.MsgHeartbeat);
        follower.Step(heartbeat);
        var ready = follower.GetReady();

        Assert.False(ready.MustSync);
        Assert.Equal(3UL, ready.HardState!.Commit);
        Assert.Empty(ready.Entries);
        Assert.Single(ready.CommittedEntries);
    }

    [Theory]
    [InlineData(MessageType.MsgApp, true)]
    [InlineData(MessageType.MsgHeartbeat, true)]
    [InlineData(MessageType.MsgSnap, true)]
    [InlineData(MessageType.MsgTimeoutNow, true)]
    [InlineData(MessageType.MsgReadIndexResp, true)]
    [InlineData(MessageType.MsgProp, true)]
    [InlineData(MessageType.MsgAppResp, false)]
    [InlineData(MessageType.MsgHeartbeatResp, false)]
    [InlineData(MessageType.MsgVote, false)]
    [InlineData(MessageType.MsgVoteResp, false)]
    [InlineData(MessageType.MsgPreVote, false)]
    [InlineData(MessageType.MsgPreVoteResp, false)]
    public void MessagesThatPromiseDurabilityMustWaitForPersistence(MessageType type, bool early)
    {
        Assert.Equal(early, Ready.MaySendBeforePersisting(new Message { Type = type }));
    }

    [Fact]
    public void LocalMessagesCannotBeSteppedAndAnswersFromStrangersAreIgnored()
    {
        var storage = MemoryRaftLogStorage.CreateBootstrapped(Voters(1, 2, 3));
        var node = new RaftNode(Config(1), storage);

        Assert.Throws<ArgumentException>(() => node.Step(new Message { Type = MessageType.MsgHup }));
        Assert.Throws<ArgumentException>(() => node.Step(new Message { Type = MessageType.MsgBeat }));
        Assert.False(node.Step(Msg(MessageType.MsgAppResp, 9, 1, term: 1)));
        Assert.True(node.Step(Msg(MessageType.MsgHeartbeat, 2, 1, term: 1)));
    }

    [Fact]
    public void StatusReportsFollowerProgressOnTheLeaderOnly()
    {
        var cluster = new Cluster([1, 2, 3], learners: [4]);
        cluster.Elect(1);
        cluster.Propose(1, "x");

        var status = cluster[1].Node.Status;
        Assert.Equal(RaftRole.Leader, status.Role);
        Assert.Equal(1UL, status.Lead);
        Assert.Equal(3UL, status.Commit);
        Assert.Equal(3UL, status.Applied);
        Assert.Equal(new ulong[] { 1, 2, 3, 4 }, status.Progress.Keys.Order());
        Assert.Equal(3UL, status.Progress[2].Match);
        Assert.Equal(4UL, status.Progress[2].Next);
        Assert.False(status.Progress[2].IsLearner);
        Assert.True(status.Progress[4].IsLearner);
        Assert.Equal(new ulong[] { 4 }, status.Learners);

        var followerStatus = cluster[2].Node.Status;
        Assert.Empty(followerStatus.Progress);
        Assert.Equal(1UL, followerStatus.Lead);
        Assert.Equal(1UL, followerStatus.Vote);
    }

    [Fact]
    public void InvalidConfigurationIsRejected()
    {
        var storage = new MemoryRaftLogStorage();
        Assert.Throws<ArgumentException>(() => new RaftNode(Config(0), storage));
        Assert.Throws<ArgumentException>(() => new RaftNode(Config(1) with { ElectionTick = 1, HeartbeatTick = 1 }, storage));
        Assert.Throws<ArgumentException>(() => new RaftNode(Config(1) with { MaxInflightMsgs = 0 }, storage));
    }

    [Fact]
    public void CommittedEntriesPerReadyAreBoundedBySize()
    {
        var cluster = new Cluster([1], configure: c => c with { MaxCommittedSizePerReady = 100 });
        cluster.Elect(1);
        var member = cluster[1];
        member.Node.Propose(Enumerable.Range(0, 10).Select(i => Text(new string('x', 40))).ToList());
        var first = Drain(member.Node, member.Storage);
        Assert.Empty(first.CommittedEntries);

        var sizes = new List<int>();
        while (member.Node.HasReady())
        {
            sizes.Add(Drain(member.Node, member.Storage).CommittedEntries.Count);
        }

        Assert.Equal(10, sizes.Sum());
        Assert.All(sizes, count => Assert.True(count <= 2));
    }
}
