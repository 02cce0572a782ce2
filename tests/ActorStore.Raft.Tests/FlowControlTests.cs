using Raftpb;
using static ActorStore.Raft.Tests.Fixtures;

namespace ActorStore.Raft.Tests;

public sealed class FlowControlTests
{
    private static List<Message> AppendsTo(IEnumerable<Message> messages, ulong to) =>
        messages.Where(m => m.Type == MessageType.MsgApp && m.To == to && m.Entries.Count > 0).ToList();

    [Fact]
    public void ReplicatingFollowerGetsAtMostMaxInflightAppendsUntilItAnswers()
    {
        var cluster = new Cluster([1, 2, 3], configure: c => c with { MaxInflightMsgs = 3 });
        cluster.Elect(1);
        var leader = cluster[1].Node;
        Assert.Equal(ProgressState.Replicate, leader.Status.Progress[2].State);

        for (int i = 0; i < 10; i++)
        {
            leader.Propose(Text($"v{i}"));
            cluster.Process(1);
        }

        Assert.Equal(3, AppendsTo(cluster.InFlight, 2).Count);
        Assert.True(leader.Status.Progress[2].IsPaused);
        Assert.Equal(3, leader.Status.Progress[2].InflightMessages);

        // Answers free the window; the rest goes out in one append (it fits the size limit).
        cluster.DeliverWhere(m => m.To == 2);
        int before = cluster.Sent.Count;
        cluster.DeliverWhere(m => m.From == 2 && m.To == 1);
        var resumed = Assert.Single(AppendsTo(cluster.Sent.Skip(before), 2));
        Assert.Equal(Enumerable.Range(6, 7).Select(i => (ulong)i), resumed.Entries.Select(e => e.Index));
    }

    [Fact]
    public void HeartbeatAnswerFromAFullWindowLetsOneMoreAppendOut()
    {
        var cluster = new Cluster([1, 2, 3], configure: c => c with { MaxInflightMsgs = 2 });
        cluster.Elect(1);
        cluster.Drop(m => m.Type == MessageType.MsgApp && m.To == 2);
        for (int i = 0; i < 5; i++)
        {
            cluster.Propose(1, $"v{i}");
        }

        var leader = cluster[1].Node;
        Assert.True(leader.Status.Progress[2].IsPaused);
        int appendsBefore = AppendsTo(cluster.Sent, 2).Count;

        cluster.Tick(1);
        cluster.DeliverWhere(m => m.Type == MessageType.MsgHeartbeat && m.To == 2);
        cluster.DeliverWhere(m => m.Type == MessageType.MsgHeartbeatResp && m.From == 2);

        Assert.Equal(appendsBefore + 1, AppendsTo(cluster.Sent, 2).Count);
        Assert.Equal(2, leader.Status.Progress[2].InflightMessages);
    }

    [Fact]
    public void ProbingFollowerGetsOneAppendAtATime()
    {
        var cluster = Cluster.Of(1, 2, 3);
        cluster[1].Node.Campaign();
        cluster.Process(1);
        var electionTraffic = new[] { MessageType.MsgPreVote, MessageType.MsgPreVoteResp, MessageType.MsgVote, MessageType.MsgVoteResp };
        while (cluster[1].Status.Role != RaftRole.Leader)
        {
            cluster.DeliverWhere(m => electionTraffic.Contains(m.Type));
        }

        var leader = cluster[1].Node;
        leader.Propose(Text("x"));
        leader.Propose(Text("y"));
        cluster.Process(1);

        Assert.Single(AppendsTo(cluster.InFlight, 2));
        Assert.Equal(ProgressState.Probe, leader.Status.Progress[2].State);
        Assert.True(leader.Status.Progress[2].IsPaused);

        cluster.Stabilize();
        Assert.Equal(ProgressState.Replicate, leader.Status.Progress[2].State);
        Assert.Equal(new[] { "x", "y" }, cluster[2].Applied);
    }

    [Fact]
    public void AppendsRespectTheMaximumMessageSize()
    {
        var cluster = new Cluster([1, 2, 3], configure: c => c with { MaxSizePerMsg = 100 });
        cluster.Elect(1);
        cluster.Isolate(3);
        for (int i = 0; i < 10; i++)
        {
            cluster.Propose(1, new string((char)('a' + i), 40));
        }

        cluster.Heal();
        int before = cluster.Sent.Count;
        cluster.Tick(1);
        cluster.Stabilize();

        var catchUp = AppendsTo(cluster.Sent.Skip(before), 3);
        Assert.True(catchUp.Count >= 5, $"expected the backlog to be split, got {catchUp.Count} appends");
        Assert.All(catchUp, m => Assert.True(m.Entries.Count <= 2));
        Assert.Equal(10, cluster[3].Applied.Count);
    }

    [Fact]
    public void UnreachableFollowerFallsBackToProbing()
    {
        var cluster = Cluster.Of(1, 2, 3);
        cluster.Elect(1);
        var leader = cluster[1].Node;
        Assert.Equal(ProgressState.Replicate, leader.Status.Progress[2].State);

        leader.ReportUnreachable(2);

        Assert.Equal(ProgressState.Probe, leader.Status.Progress[2].State);
    }

    [Fact]
    public void UncommittedSizeLimitDropsProposalsBeyondTheBudget()
    {
        var cluster = new Cluster([1, 2, 3], configure: c => c with { MaxUncommittedEntriesSize = 10 });
        cluster.Elect(1);
        cluster.Isolate(2);
        cluster.Isolate(3);
        var leader = cluster[1].Node;

        leader.Propose(Text("123456"));
        Assert.Throws<ProposalDroppedException>(() => leader.Propose(Text("789012")));

        cluster.Heal();
        cluster.Tick(1);
        cluster.Stabilize();
        leader.Propose(Text("789012"));
        cluster.Stabilize();
        Assert.Equal(new[] { "123456", "789012" }, cluster[2].Applied);
    }
}
