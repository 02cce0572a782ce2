using Raftpb;
using static ActorStore.Raft.Tests.Fixtures;

namespace ActorStore.Raft.Tests;

public sealed class MemoryRaftLogStorageTests
{
    private static Entry E(ulong index, ulong term, string data = "") => new() { Index = index, Term = term, Data = Text(data) };

    private static MemoryRaftLogStorage WithEntries(params Entry[] entries)
    {
        var storage = new MemoryRaftLogStorage();
        storage.Append(entries);
        return storage;
    }

    [Fact]
    public void AppendReplacesTheConflictingTail()
    {
        var storage = WithEntries(E(1, 1), E(2, 1), E(3, 1));

        storage.Append([E(2, 2), E(3, 2), E(4, 2)]);

        Assert.Equal(new ulong[] { 1, 2, 2, 2 }, storage.Entries(1, 5, ulong.MaxValue).Select(e => e.Term));
    }

    [Fact]
    public void AppendSkipsCompactedEntriesAndRejectsGaps()
    {
        var storage = WithEntries(E(1, 1), E(2, 1), E(3, 1));
        storage.Compact(2);

        storage.Append([E(1, 1), E(2, 1), E(3, 1), E(4, 1)]);
        Assert.Equal(4UL, storage.LastIndex());
        Assert.Equal(3UL, storage.FirstIndex());

        Assert.Throws<InvalidOperationException>(() => storage.Append([E(6, 1)]));
    }

    [Fact]
    public void EntriesHonourBoundsAndSizeLimit()
    {
        var storage = WithEntries(E(1, 1, "aaaa"), E(2, 1, "bbbb"), E(3, 1, "cccc"));
        ulong oneEntry = (ulong)E(1, 1, "aaaa").CalculateSize();

        Assert.Single(storage.Entries(1, 4, 0));
        Assert.Equal(2, storage.Entries(1, 4, oneEntry * 2).Count);
        Assert.Equal(3, storage.Entries(1, 4, ulong.MaxValue).Count);

        var beyond = Assert.Throws<RaftStorageException>(() => storage.Entries(2, 5, ulong.MaxValue));
        Assert.Equal(RaftStorageError.Unavailable, beyond.Error);

        storage.Compact(2);
        var compacted = Assert.Throws<RaftStorageException>(() => storage.Entries(2, 4, ulong.MaxValue));
        Assert.Equal(RaftStorageError.Compacted, compacted.Error);
    }

    [Fact]
    public void TermOfTheCompactionPointStaysKnown()
    {
        var storage = WithEntries(E(1, 1), E(2, 2), E(3, 3));
        storage.Compact(2);

        Assert.Equal(2UL, storage.Term(2));
        Assert.Equal(3UL, storage.Term(3));
        Assert.Equal(RaftStorageError.Compacted, Assert.Throws<RaftStorageException>(() => storage.Term(1)).Error);
        Assert.Equal(RaftStorageError.Unavailable, Assert.Throws<RaftStorageException>(() => storage.Term(4)).Error);
        Assert.Equal(RaftStorageError.Compacted, Assert.Throws<RaftStorageException>(() => storage.Compact(2)).Error);
    }

    [Fact]
    public void CreateSnapshotRecordsTermAndMembershipWithoutCompacting()
    {
        var storage = WithEntries(E(1, 1), E(2, 2), E(3, 3));

        var snapshot = storage.CreateSnapshot(2, Voters(1, 2), Text("image"));

        Assert.Equal(2UL, snapshot.Metadata.Index);
        Assert.Equal(2UL, snapshot.Metadata.Term);
        Assert.Same(snapshot, storage.Snapshot());
        Assert.Equal(1UL, storage.FirstIndex());
        Assert.Equal(new ulong[] { 1, 2 }, storage.InitialState().ConfState.Voters);
        Assert.Equal(RaftStorageError.SnapshotOutOfDate,
            Assert.Throws<RaftStorageException>(() => storage.CreateSnapshot(2, Voters(1), Text(""))).Error);
        Assert.Throws<ArgumentOutOfRangeException>(() => storage.CreateSnapshot(9, Voters(1), Text("")));
    }

    [Fact]
    public void ApplySnapshotReplacesTheWholeLog()
    {
        var storage = WithEntries(E(1, 1), E(2, 1));
        var snapshot = new Snapshot { Data = Text("s"), Metadata = new SnapshotMetadata { Index = 5, Term = 3, ConfState = Voters(1) } };

        storage.ApplySnapshot(snapshot);

        Assert.Equal(6UL, storage.FirstIndex());
        Assert.Equal(5UL, storage.LastIndex());
        Assert.Equal(3UL, storage.Term(5));
        Assert.Equal(RaftStorageError.SnapshotOutOfDate, Assert.Throws<RaftStorageException>(() => storage.ApplySnapshot(snapshot)).Error);
    }

    [Fact]
    public void BootstrappedStorageStartsAfterTheMembershipSnapshot()
    {
        var storage = MemoryRaftLogStorage.CreateBootstrapped(Voters(1, 2, 3));

        var initial = storage.InitialState();
        Assert.Equal(new ulong[] { 1, 2, 3 }, initial.ConfState.Voters);
        Assert.Equal(1UL, initial.HardState.Term);
        Assert.Equal(1UL, initial.HardState.Commit);
        Assert.Equal(2UL, storage.FirstIndex());
        Assert.Equal(1UL, storage.LastIndex());
        Assert.Equal(1UL, storage.Term(1));
    }
}
