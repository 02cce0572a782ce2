using System.Collections.Concurrent;
using Akka.Actor;
using Akka.TestKit;
using ActorStore.Mvcc;
using ActorStore.Raft.Shell;
using ActorStore.Server.Apply;
using ActorStore.Server.Auth;
using ActorStore.Server.Defrag;
using ActorStore.Server.Lease;
using ActorStore.Server.Membership;
using ActorStore.Server.V2;
using Etcdserverpb;
using Google.Protobuf;
using Raftpb;
using Xunit;

namespace ActorStore.Server.Tests.Apply;

/// <summary>
/// The apply actor captures a snapshot between two batches and has it encoded elsewhere: here the encodings wait for
/// the test to release them, so entries are applied while one is in flight.
/// </summary>
public sealed class SnapshotEncodingTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly HeldEncodings _encodings = new();
    private readonly TestProbe _raft;

    public SnapshotEncodingTests()
    {
        _raft = CreateTestProbe("raft");
        _raft.IgnoreMessages(message => message is ConfChangeApplied);
    }

    [Fact]
    public async Task The_snapshot_handed_to_raft_is_the_state_at_its_index_though_entries_were_applied_while_it_encoded()
    {
        var apply = StartApply(snapshotCount: 3);
        Commit(apply, Put(1, "a", "1"), Put(2, "b", "2"), LeaseGrant(3, id: 5));
        Assert.Equal(3ul, _raft.ExpectMsg<StateSnapshotCaptured>(Patience).Index);

        var lastApplied = AwaitResult(apply, 10);
        Commit(apply,
            Put(4, "a", "3"), Delete(5, "b"), Compaction(6, revision: 4), LeaseRevoke(7, id: 5), LeaseGrant(8, id: 9),
            UserAdd(9, "alice"), AddLearner(10, memberId: 2));
        await lastApplied.WaitAsync(Patience);
        Assert.Equal(1, _encodings.Started);

        _encodings.ReleaseNext();
        var taken = _raft.ExpectMsg<StateSnapshotTaken>(Patience);
        Assert.Equal(3ul, taken.Index);
        var (store, membership, leases, auth) = StateMachineSnapshot.Read(taken.Data);
        Assert.Equal(3, store.CurrentRevision);
        Assert.Equal(-1, store.CompactRevision);
        Assert.Equal(["a=1", "b=2"], Keys(store, revision: 0));
        Assert.Equal([5L], leases.Leases.Select(lease => lease.Id));
        Assert.Null(auth.FindUser("alice"));
        Assert.Equal([1ul], membership.Members.Select(member => member.Id));

        // Due since index 6, taken once the first one was handed over: the state at index 10.
        Assert.Equal(10ul, _raft.ExpectMsg<StateSnapshotCaptured>(Patience).Index);
        _encodings.ReleaseNext();
        var next = _raft.ExpectMsg<StateSnapshotTaken>(Patience);
        Assert.Equal(10ul, next.Index);
        var (laterStore, laterMembership, laterLeases, laterAuth) = StateMachineSnapshot.Read(next.Data);
        Assert.Equal(4, laterStore.CompactRevision);
        Assert.Equal(["a=3"], Keys(laterStore, revision: 0));
        Assert.Equal([9L], laterLeases.Leases.Select(lease => lease.Id));
        Assert.NotNull(laterAuth.FindUser("alice"));
        Assert.Equal([1ul, 2ul], laterMembership.Members.Select(member => member.Id).Order());
        Assert.Equal(2, _encodings.Started);
    }

    [Fact]
    public async Task A_defragment_answers_once_a_snapshot_of_its_index_is_handed_to_raft()
    {
        var apply = StartApply(snapshotCount: 1000);
        Commit(apply, Put(1, "a", "1"));
        var first = Defragment(apply);
        Assert.Equal(1ul, _raft.ExpectMsg<StateSnapshotCaptured>(Patience).Index);

        var applied = AwaitResult(apply, 2);
        Commit(apply, Put(2, "a", "2"));
        await applied.WaitAsync(Patience);
        var second = Defragment(apply);
        await apply.Ask<MemberListResponse>(new MemberListRequest(), Patience);
        Assert.False(first.IsCompleted);
        Assert.False(second.IsCompleted);
        Assert.Equal(1, _encodings.Started);

        _encodings.ReleaseNext();
        Assert.Equal(1ul, _raft.ExpectMsg<StateSnapshotTaken>(Patience).Index);
        Assert.IsType<DefragmentResponse>(await first.WaitAsync(Patience));
        Assert.Equal(2ul, _raft.ExpectMsg<StateSnapshotCaptured>(Patience).Index);
        Assert.False(second.IsCompleted);

        _encodings.ReleaseNext();
        Assert.Equal(2ul, _raft.ExpectMsg<StateSnapshotTaken>(Patience).Index);
        Assert.IsType<DefragmentResponse>(await second.WaitAsync(Patience));
    }

    [Fact]
    public async Task A_defragment_with_nothing_applied_since_the_last_snapshot_answers_at_once()
    {
        var apply = StartApply(snapshotCount: 1);
        Commit(apply, Put(1, "a", "1"));
        _raft.ExpectMsg<StateSnapshotCaptured>(Patience);
        _encodings.ReleaseNext();
        _raft.ExpectMsg<StateSnapshotTaken>(Patience);

        Assert.IsType<DefragmentResponse>(await Defragment(apply).WaitAsync(Patience));
        Assert.Equal(1, _encodings.Started);
    }

    private IActorRef StartApply(long snapshotCount)
    {
        var membership = new ClusterMembership(1);
        membership.Add(Member(1));
        var options = SingleMemberOptions.For(Path.Combine(Path.GetTempPath(), "unused")) with { SnapshotCount = snapshotCount };
        var (watchHub, lessor) = (CreateTestProbe("watch-hub"), CreateTestProbe("lessor"));
        Action<ulong> memberRemoved = _ => { };
        Action<ClusterMembership> membershipChanged = _ => { };
        Func<StateMachineImage, Task<ByteString>> encode = _encodings.Hold;
        return Sys.ActorOf(Props.Create(() => new ApplyActor(
            new MvccStore(), new V2Store(V2Clock.NowNanos), membership, new LeaseTable(), new AuthStore(), 0, new HeaderStamp(1, 1, 1),
            options, watchHub, lessor, new RevisionBoard(), new NoTokens(), new AuthStateBoard(), memberRemoved, membershipChanged,
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, null, null, encode)));
    }

    private void Commit(IActorRef apply, params Entry[] entries) => apply.Tell(new RaftCommitted(entries), _raft.Ref);

    private static Task<IMessage> AwaitResult(IActorRef apply, ulong index)
    {
        var completion = new TaskCompletionSource<IMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        apply.Tell(new AwaitResult(index, completion));
        return completion.Task;
    }

    private static Task<IMessage> Defragment(IActorRef apply)
    {
        var completion = new TaskCompletionSource<IMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        apply.Tell(new DefragmentBackend(completion));
        return completion.Task;
    }

    private static string[] Keys(MvccStore store, long revision) =>
        store.Range([0], [0], revision).Kvs.Select(kv => $"{kv.Key.ToStringUtf8()}={kv.Value.ToStringUtf8()}").ToArray();

    private static ClusterMember Member(ulong id) => new(id, $"n{id}", [$"http://127.0.0.1:{2380 + id}"], [], IsLearner: false);

    private static Entry Request(ulong index, InternalRaftRequest request)
    {
        request.Header = new RequestHeader { ID = index };
        return new Entry { Index = index, Term = 1, Type = EntryType.EntryNormal, Data = request.ToByteString() };
    }

    private static Entry Put(ulong index, string key, string value) => Request(index, new InternalRaftRequest
    {
        Put = new PutRequest { Key = ByteString.CopyFromUtf8(key), Value = ByteString.CopyFromUtf8(value) },
    });

    private static Entry Delete(ulong index, string key) =>
        Request(index, new InternalRaftRequest { DeleteRange = new DeleteRangeRequest { Key = ByteString.CopyFromUtf8(key) } });

    private static Entry Compaction(ulong index, long revision) =>
        Request(index, new InternalRaftRequest { Compaction = new CompactionRequest { Revision = revision } });

    private static Entry LeaseGrant(ulong index, long id) =>
        Request(index, new InternalRaftRequest { LeaseGrant = new LeaseGrantRequest { ID = id, TTL = 100 } });

    private static Entry LeaseRevoke(ulong index, long id) =>
        Request(index, new InternalRaftRequest { LeaseRevoke = new LeaseRevokeRequest { ID = id } });

    private static Entry UserAdd(ulong index, string name) => Request(index, new InternalRaftRequest
    {
        AuthUserAdd = new AuthUserAddRequest { Name = name, Options = new Authpb.UserAddOptions { NoPassword = true } },
    });

    private static Entry AddLearner(ulong index, ulong memberId) => new()
    {
        Index = index,
        Term = 1,
        Type = EntryType.EntryConfChange,
        Data = new ConfChange
        {
            Id = index,
            Type = ConfChangeType.ConfChangeAddLearnerNode,
            NodeId = memberId,
            Context = ByteString.CopyFrom(ClusterMembership.EncodeContext(Member(memberId))),
        }.ToByteString(),
    };

    /// <summary>Encodings that finish when the test releases them, in the order they were started.</summary>
    private sealed class HeldEncodings
    {
        private readonly ConcurrentQueue<(StateMachineImage Image, TaskCompletionSource<ByteString> Done)> _held = new();
        private int _started;

        public int Started => Volatile.Read(ref _started);

        public Task<ByteString> Hold(StateMachineImage image)
        {
            Interlocked.Increment(ref _started);
            var done = new TaskCompletionSource<ByteString>(TaskCreationOptions.RunContinuationsAsynchronously);
            _held.Enqueue((image, done));
            return done.Task;
        }

        public void ReleaseNext()
        {
            Assert.True(_held.TryDequeue(out var held), "no encoding is waiting");
            held.Done.SetResult(held.Image.Encode());
        }
    }

    private sealed class NoTokens : ITokenProvider
    {
        public string Assign(string username, ulong authRevision, string prefix, ulong index) => "";

        public void RevokeUser(string username)
        {
        }

        public void RevokeAll()
        {
        }

        public Task<AuthInfo?> InfoAsync(string token, ulong currentRevision, CancellationToken ct) => Task.FromResult<AuthInfo?>(null);
    }
}
