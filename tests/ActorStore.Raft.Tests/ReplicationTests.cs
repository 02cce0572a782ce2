using Raftpb;
using static ActorStore.Raft.Tests.Fixtures;

namespace ActorStore.Raft.Tests;

public sealed class ReplicationTests
{
    [Fact]
    public void ProposalsCommitAndApplyInTheSameOrderEverywhere()
    {
        var cluster = Cluster.Of(1, 2, 3);
        cluster.Elect(1);

        cluster.Propose(1, "a");
        cluster.Propose(1, "b");
        cluster[1].Node.Propose([Text("c"), Text("d")]);
        cluster.Stabilize();

        foreach (var member in cluster.Members)
        {
            Assert.Equal(new[] { "a", "b", "c", "d" }, member.Applied);
            Assert.Equal(6UL, member.Status.Commit);
        }
    }

    [Fact]
    public void FollowerForwardsProposalsToTheLeader()
    {
        var cluster = Cluster.Of(1, 2, 3);
        cluster.Elect(1);

        cluster.Propose(3, "via-follower");

        Assert.Contains(cluster.Sent, m => m.Type == MessageType.MsgProp && m.From == 3 && m.To == 1);
        Assert.All(cluster.Members, m => Assert.Equal(new[] { "via-follower" }, m.Applied));
    }

    [Fact]
    public void ForwardedProposalKeepsItsContext()
    {
        // The shell puts the request's deadline in the context; the leader's shell refuses the proposal once it passed.
        var cluster = Cluster.Of(1, 2, 3);
        cluster.Elect(1);

        cluster[3].Node.Propose(Text("with-deadline"), Text("deadline"));
        cluster.Stabilize();

        var forwarded = Assert.Single(cluster.Sent, m => m.Type == MessageType.MsgProp && m.From == 3 && m.To == 1);
        Assert.Equal("deadline", forwarded.Context.ToStringUtf8());
        Assert.All(cluster.Members, m => Assert.Equal(new[] { "with-deadline" }, m.Applied));
    }

    [Fact]
    public void ProposalWithoutALeaderIsDropped()
    {
        var cluster = Cluster.Of(1, 2, 3);

        Assert.Throws<ProposalDroppedException>(() => cluster[1].Node.Propose(Text("x")));
    }

    [Fact]
    public void FollowerWithForwardingDisabledDropsProposals()
    {
        var cluster = new Cluster([1, 2, 3], configure: c => c with { DisableProposalForwarding = true });
        cluster.Elect(1);

        Assert.Throws<ProposalDroppedException>(() => cluster[2].Node.Propose(Text("x")));
        cluster[1].Node.Propose(Text("y"));
    }

    [Fact]
    public void LaggingFollowerCatchesUp()
    {
        var cluster = Cluster.Of(1, 2, 3);
        cluster.Elect(1);
        cluster.Isolate(3);
        for (int i = 0; i < 5; i++)
        {
            cluster.Propose(1, $"v{i}");
        }

        Assert.Empty(cluster[3].Applied);

        cluster.Heal();
        cluster.Propose(1, "v5");

        Assert.Equal(cluster[1].Applied, cluster[3].Applied);
        Assert.Equal(6, cluster[3].Applied.Count);
        Assert.Equal(cluster[1].LogShape(), cluster[3].LogShape());
    }

    [Fact]
    public void UncommittedEntriesOfADeposedLeaderAreOverwritten()
    {
        var cluster = Cluster.Of(1, 2, 3);
        cluster.Elect(1);
        cluster.Isolate(1);
        cluster[1].Node.Propose(Text("lost-1"));
        cluster[1].Node.Propose(Text("lost-2"));
        cluster.Stabilize();

        ulong newLeader = TickUntilLeaderAmong(cluster, 2, 3);
        cluster.Propose(newLeader, "kept");

        cluster.Heal();
        cluster.Tick(newLeader);
        cluster.Stabilize();

        Assert.All(cluster.Members, m => Assert.Equal(new[] { "kept" }, m.Applied));
        Assert.Equal(cluster[newLeader].LogShape(), cluster[1].LogShape());
        Assert.Equal(RaftRole.Follower, cluster[1].Status.Role);
    }

    [Fact]
    public void FollowerRejectsAppendThatDoesNotMatchAndHintsItsLastIndex()
    {
        var storage = StorageWithTerms(Voters(1, 2, 3), currentTerm: 2, 2);
        var node = new RaftNode(Config(1), storage);

        var append = Msg(MessageType.MsgApp, 2, 1, term: 3, index: 5, logTerm: 3);
        append.Entries.Add(new Entry { Index = 6, Term = 3 });
        node.Step(append);

        var response = Assert.Single(DrainMessages(node, storage));
        Assert.Equal(MessageType.MsgAppResp, response.Type);
        Assert.True(response.Reject);
        Assert.Equal(5UL, response.Index);
        Assert.Equal(2UL, response.RejectHint);
        Assert.Equal(2UL, storage.LastIndex());
    }

    [Fact]
    public void FollowerTruncatesConflictingSuffixAndAcceptsTheLeadersEntries()
    {
        // Follower holds index 2 and 3 from term 2, never committed.
        var storage = StorageWithTerms(Voters(1, 2, 3), currentTerm: 2, 2, 2);
        var node = new RaftNode(Config(1), storage);

        var append = Msg(MessageType.MsgApp, 2, 1, term: 3, index: 1, logTerm: 1);
        append.Commit = 3;
        append.Entries.Add(new Entry { Index = 2, Term = 3, Data = Text("x") });
        append.Entries.Add(new Entry { Index = 3, Term = 3, Data = Text("y") });
        node.Step(append);

        var ready = Drain(node, storage);
        var response = Assert.Single(ready.Messages);
        Assert.False(response.Reject);
        Assert.Equal(3UL, response.Index);
        Assert.Equal(new ulong[] { 3, 3 }, ready.Entries.Select(e => e.Term));
        Assert.Equal(new[] { "x", "y" }, ready.CommittedEntries.Select(e => e.Data.ToStringUtf8()));
        Assert.Equal(3UL, storage.Term(3));
    }

    [Fact]
    public void DuplicateAppendIsAcknowledgedWithoutChangingTheLog()
    {
        var storage = StorageWithTerms(Voters(1, 2, 3), currentTerm: 2, 2, 2);
        var node = new RaftNode(Config(1), storage);

        var append = Msg(MessageType.MsgApp, 2, 1, term: 2, index: 1, logTerm: 1);
        append.Entries.Add(new Entry { Index = 2, Term = 2 });
        node.Step(append);

        var ready = Drain(node, storage);
        Assert.Empty(ready.Entries);
        Assert.Equal(2UL, Assert.Single(ready.Messages).Index);
        Assert.Equal(3UL, storage.LastIndex());
    }
}
