using Raftpb;
using static ActorStore.Raft.Tests.Fixtures;

namespace ActorStore.Raft.Tests;

public sealed class CommitTests
{
    [Fact]
    public void EntryCommitsOnceAMajorityHoldsIt()
    {
        var cluster = Cluster.Of(1, 2, 3);
        cluster.Elect(1);

        cluster[1].Node.Propose(Text("x"));
        cluster.Process(1);
        Assert.Equal(2UL, cluster[1].Status.Commit);

        // Only member 2 receives and answers; member 3 never hears of the entry.
        cluster.DeliverWhere(m => m.To == 2);
        cluster.DeliverWhere(m => m.To == 1);

        Assert.Equal(3UL, cluster[1].Status.Commit);
        Assert.Equal(new[] { "x" }, cluster[1].Applied);
        Assert.Empty(cluster[3].Applied);
    }

    [Fact]
    public void LeaderCountsItsOwnCopyOnlyAfterItIsPersisted()
    {
        var storage = MemoryRaftLogStorage.CreateBootstrapped(Voters(1));
        var node = new RaftNode(Config(1), storage);
        node.Campaign();
        while (node.HasReady())
        {
            Drain(node, storage);
        }

        ulong commit = node.BasicStatus.Commit;
        node.Propose(Text("x"));

        var ready = node.GetReady();
        Assert.Single(ready.Entries);
        Assert.Empty(ready.CommittedEntries);
        Assert.Equal(commit, node.BasicStatus.Commit);

        storage.Append(ready.Entries);
        node.Advance(ready);

        Assert.Equal(commit + 1, node.BasicStatus.Commit);
        var next = node.GetReady();
        Assert.Equal("x", Assert.Single(next.CommittedEntries).Data.ToStringUtf8());
        Assert.Equal(commit + 1, next.HardState!.Commit);
    }

    [Fact]
    public void EntryOfAnEarlierTermIsNotCommittedByCountingReplicas()
    {
        bool holdBackNewTermEntry = true;
        var cluster = new Cluster([1, 2, 3], configure: c => c with { CheckQuorum = false, MaxSizePerMsg = 0 });
        cluster.Elect(1);

        // Leader 1 (term 2) appends "old" at index 3 but nobody else gets it.
        cluster.Isolate(1);
        cluster[1].Node.Propose(Text("old"));
        cluster.Stabilize();
        cluster.Heal();

        // Member 1 restarts and wins term 3 with member 2's vote; member 3 stays cut off.
        cluster.Restart(1);
        cluster.Cut(1, 3);
        // Member 2 gets index 3 (after rejecting a first append of index 4), but not index 4 itself.
        cluster.Drop(m => holdBackNewTermEntry && m.Type == MessageType.MsgApp
            && m.Entries.Any(e => e.Index == 4) && cluster[2].Storage.LastIndex() >= 3);
        cluster.Elect(1);
        Assert.Equal(RaftRole.Leader, cluster[1].Status.Role);
        Assert.Equal(3UL, cluster[1].Status.Term);

        // Index 3 (term 2) is now on a majority, yet it must not commit until an entry of term 3 does.
        Assert.Equal((3UL, 2UL), cluster[2].LogShape().Last());
        Assert.Equal(2UL, cluster[1].Status.Commit);
        Assert.Empty(cluster[1].Applied);

        holdBackNewTermEntry = false;
        cluster.Tick(1);
        cluster.Stabilize();

        Assert.Equal(4UL, cluster[1].Status.Commit);
        Assert.Equal(new[] { "old" }, cluster[1].Applied);
        Assert.Equal(new[] { "old" }, cluster[2].Applied);
    }

    [Fact]
    public void FollowersLearnTheCommitIndexFromHeartbeats()
    {
        var cluster = Cluster.Of(1, 2, 3);
        cluster.Elect(1);
        cluster[1].Node.Propose(Text("x"));
        cluster.Process(1);
        cluster.DeliverWhere(m => m.To != 1);
        // Answers reach the leader, which commits; its commit broadcast is lost.
        cluster.DeliverWhere(m => m.To == 1);
        cluster.TakeInFlight();
        Assert.Equal(3UL, cluster[1].Status.Commit);
        Assert.Equal(2UL, cluster[2].Status.Commit);

        cluster.Tick(1);
        cluster.Stabilize();

        Assert.Equal(3UL, cluster[2].Status.Commit);
        Assert.Equal(new[] { "x" }, cluster[2].Applied);
    }

    [Fact]
    public void CommittedEntriesSurviveARestart()
    {
        var cluster = Cluster.Of(1, 2, 3);
        cluster.Elect(1);
        cluster.Propose(1, "a");
        cluster.Propose(1, "b");

        var restarted = cluster.Restart(2);
        cluster.Process(2);

        Assert.Equal(new[] { "a", "b" }, restarted.Applied);
        Assert.Equal(4UL, restarted.Status.Commit);
        Assert.Equal(2UL, restarted.Status.Term);
    }

    [Fact]
    public void HeartbeatCommittingBeyondALostLogStopsTheMemberWithEtcdsMessage()
    {
        // A member whose log was wiped hears from a leader that knows it once held entries up to 7.
        var storage = MemoryRaftLogStorage.CreateBootstrapped(Voters(1, 2));
        var node = new RaftNode(Config(2), storage);
        var heartbeat = Msg(MessageType.MsgHeartbeat, from: 1, to: 2, term: 2);
        heartbeat.Commit = 7;

        var lost = Assert.Throws<RaftLogLostException>(() => node.Step(heartbeat));

        Assert.Equal(7UL, lost.Commit);
        Assert.Equal(storage.LastIndex(), lost.LastIndex);
        Assert.Equal($"tocommit(7) is out of range [lastIndex({storage.LastIndex()})]. Was the raft log corrupted, truncated, or lost?", lost.Message);
    }
}
