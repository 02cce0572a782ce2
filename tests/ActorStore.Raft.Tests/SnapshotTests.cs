using Raftpb;
using static ActorStore.Raft.Tests.Fixtures;

namespace ActorStore.Raft.Tests;

public sealed class SnapshotTests
{
    private static void CompactLeader(Cluster cluster, ulong leader, string data)
    {
        var member = cluster[leader];
        member.Storage.CreateSnapshot(member.AppliedIndex, member.Node.Status.Voters.Aggregate(new ConfState(), (state, id) =>
        {
            state.Voters.Add(id);
            return state;
        }), Text(data));
        member.Storage.Compact(member.AppliedIndex);
    }

    [Fact]
    public void FollowerBehindTheCompactionPointIsSentASnapshotAndRestoresIt()
    {
        var cluster = Cluster.Of(1, 2, 3);
        cluster.Elect(1);
        cluster.Isolate(3);
        for (int i = 0; i < 5; i++)
        {
            cluster.Propose(1, $"v{i}");
        }

        CompactLeader(cluster, 1, "image@7");
        cluster.Heal();
        cluster.Tick(1);
        cluster.Stabilize();

        var follower = cluster[3];
        Assert.Contains(cluster.Sent, m => m.Type == MessageType.MsgSnap && m.To == 3);
        Assert.NotNull(follower.RestoredSnapshot);
        Assert.Equal("image@7", follower.RestoredSnapshot!.Data.ToStringUtf8());
        Assert.Equal(7UL, follower.RestoredSnapshot.Metadata.Index);
        Assert.Equal(8UL, follower.Storage.FirstIndex());
        Assert.Equal(7UL, follower.Status.Commit);
        Assert.Empty(follower.Applied);

        cluster.Propose(1, "after");
        Assert.Equal(new[] { "after" }, follower.Applied);
        var progress = cluster[1].Node.Status.Progress[3];
        Assert.Equal(ProgressState.Replicate, progress.State);
        Assert.Equal(8UL, progress.Match);
    }

    [Fact]
    public void FailedSnapshotSendReturnsTheFollowerToProbingAndIsRetried()
    {
        bool dropSnapshots = true;
        var cluster = Cluster.Of(1, 2, 3);
        cluster.Elect(1);
        cluster.Isolate(3);
        cluster.Propose(1, "a");
        CompactLeader(cluster, 1, "image");
        cluster.Heal();
        cluster.Drop(m => dropSnapshots && m.Type == MessageType.MsgSnap);
        cluster.Tick(1);
        cluster.Stabilize();

        var leader = cluster[1].Node;
        Assert.Equal(ProgressState.Snapshot, leader.Status.Progress[3].State);
        Assert.True(leader.Status.Progress[3].IsPaused);

        leader.ReportSnapshot(3, failed: true);
        Assert.Equal(ProgressState.Probe, leader.Status.Progress[3].State);
        Assert.Equal(0UL, leader.Status.Progress[3].PendingSnapshot);

        dropSnapshots = false;
        cluster.Tick(1);
        cluster.Stabilize();
        Assert.Equal("image", cluster[3].RestoredSnapshot!.Data.ToStringUtf8());
        Assert.Equal(ProgressState.Replicate, leader.Status.Progress[3].State);
    }

    [Fact]
    public void SnapshotAtOrBelowTheCommitIndexIsIgnored()
    {
        var storage = StorageWithTerms(Voters(1, 2, 3), currentTerm: 2, 2, 2);
        storage.SetHardState(new HardState { Term = 2, Commit = 3 });
        var node = new RaftNode(Config(1), storage);

        var snap = Msg(MessageType.MsgSnap, 2, 1, term: 2);
        snap.Snapshot = new Snapshot { Metadata = new SnapshotMetadata { Index = 2, Term = 2, ConfState = Voters(1, 2, 3) } };
        node.Step(snap);

        var ready = Drain(node, storage);
        Assert.Null(ready.Snapshot);
        var response = Assert.Single(ready.Messages);
        Assert.Equal(MessageType.MsgAppResp, response.Type);
        Assert.Equal(3UL, response.Index);
    }

    [Fact]
    public void SnapshotMatchingTheLocalLogOnlyAdvancesTheCommitIndex()
    {
        var storage = StorageWithTerms(Voters(1, 2, 3), currentTerm: 2, 2, 2);
        var node = new RaftNode(Config(1), storage);

        var snap = Msg(MessageType.MsgSnap, 2, 1, term: 2);
        snap.Snapshot = new Snapshot { Metadata = new SnapshotMetadata { Index = 3, Term = 2, ConfState = Voters(1, 2, 3) } };
        node.Step(snap);

        var ready = Drain(node, storage);
        Assert.Null(ready.Snapshot);
        Assert.Equal(3UL, node.BasicStatus.Commit);
        Assert.Equal(2, ready.CommittedEntries.Count);
    }

    [Fact]
    public void RestoredSnapshotReplacesTheLogAndTheMembership()
    {
        var storage = StorageWithTerms(Voters(1, 2, 3), currentTerm: 2, 2, 2);
        var node = new RaftNode(Config(1), storage);

        var snap = Msg(MessageType.MsgSnap, 2, 1, term: 3);
        var membership = Voters(1, 2, 3, 5);
        membership.Learners.Add(6);
        snap.Snapshot = new Snapshot
        {
            Data = Text("image"),
            Metadata = new SnapshotMetadata { Index = 10, Term = 3, ConfState = membership },
        };
        node.Step(snap);

        var ready = Drain(node, storage);
        Assert.Equal(10UL, ready.Snapshot!.Metadata.Index);
        Assert.True(ready.MustSync);
        Assert.Equal(10UL, ready.HardState!.Commit);
        Assert.Empty(ready.CommittedEntries);
        Assert.Equal(10UL, Assert.Single(ready.Messages).Index);
        Assert.Equal(new ulong[] { 1, 2, 3, 5 }, node.Status.Voters);
        Assert.Equal(new ulong[] { 6 }, node.Status.Learners);
        Assert.Equal(11UL, storage.FirstIndex());
        Assert.Equal(10UL, node.BasicStatus.Applied);

        var restarted = new RaftNode(Config(1), storage);
        Assert.Equal(new ulong[] { 1, 2, 3, 5 }, restarted.Status.Voters);
        Assert.Equal(10UL, restarted.BasicStatus.Commit);
        Assert.Equal(3UL, restarted.BasicStatus.Term);
    }
}
