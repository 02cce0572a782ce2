using ActorStore.Protocol.Errors;
using ActorStore.Raft;
using ActorStore.Server.Apply;
using ActorStore.Server.Membership;
using Akka.Actor;
using Etcdserverpb;
using Google.Protobuf;
using Raftpb;
using Xunit;

namespace ActorStore.Server.Tests.Membership;

/// <summary>
/// The membership actor runs one change at a time against a member whose log, like Raft's, takes one membership
/// change at a time and whose member list refuses changes as the apply actor's does.
/// </summary>
public sealed class MembershipActorTests : Akka.TestKit.Xunit2.TestKit
{
    private const string TakenPeerUrl = "http://10.0.0.1:2380";
    private const string NewPeerUrl = "http://10.0.0.2:2380";

    private readonly OneChangeAtATimeMember _member = new();
    private readonly SteppedClock _clock = new();
    private readonly IActorRef _membership;

    public MembershipActorTests()
    {
        _membership = Sys.ActorOf(Props.Create(() => new MembershipActor(_member, _clock)));
    }

    [Fact]
    public async Task Two_concurrent_adds_of_the_same_peer_url_one_joins_and_the_other_is_refused_peer_urls_already_exists()
    {
        var (first, second) = await TwoAddsOfTheNewPeerUrlAsync();

        _clock.Advance(TimeSpan.FromSeconds(1));
        _member.CommitProposals();

        var added = (MemberAddResponse)await first;
        Assert.Equal([NewPeerUrl], added.Member.PeerURLs);
        Assert.Equal(2, added.Members.Count);
        var refused = await Assert.ThrowsAsync<RpcException>(() => second);
        Assert.Equal("etcdserver: Peer URLs already exists", refused.Message);
        Assert.Equal(2, _member.Proposals);
    }

    [Fact]
    public async Task Two_adds_of_the_same_peer_url_in_the_same_second_get_the_same_id_and_the_second_is_refused_member_id_exists()
    {
        // etcd derives an added member's id from its peer URLs and the time in seconds, and checks the id first.
        var (first, second) = await TwoAddsOfTheNewPeerUrlAsync();

        _member.CommitProposals();

        await first;
        var refused = await Assert.ThrowsAsync<RpcException>(() => second);
        Assert.Equal("etcdserver: member ID already exist", refused.Message);
    }

    [Fact]
    public async Task A_change_whose_caller_gave_up_while_it_waited_is_never_proposed()
    {
        using var giveUp = new CancellationTokenSource();
        var first = Change(new MemberAddRequest { PeerURLs = { NewPeerUrl } });
        var abandoned = Change(new MemberRemoveRequest { ID = 1 }, giveUp.Token);
        await ProcessedEverythingSentAsync();
        await giveUp.CancelAsync();

        _member.CommitProposals();

        await first;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        Assert.Equal(1, _member.Proposals);
    }

    [Fact]
    public async Task Changes_still_waiting_when_the_member_stops_are_answered_server_stopped()
    {
        var first = Change(new MemberAddRequest { PeerURLs = { NewPeerUrl } });
        var waiting = Change(new MemberRemoveRequest { ID = 1 });
        await ProcessedEverythingSentAsync();

        await _membership.GracefulStop(TimeSpan.FromSeconds(5));

        var stopped = await Assert.ThrowsAsync<RpcException>(() => waiting);
        Assert.Equal(EtcdErrors.Stopped.Message, stopped.Message);
        Assert.False(first.IsCompleted);
    }

    /// <summary>Two adds of one peer URL, sent together: the second waits for the first to apply instead of racing it into the log.</summary>
    private async Task<(Task<IMessage> First, Task<IMessage> Second)> TwoAddsOfTheNewPeerUrlAsync()
    {
        var first = Change(new MemberAddRequest { PeerURLs = { NewPeerUrl } });
        var second = Change(new MemberAddRequest { PeerURLs = { NewPeerUrl } });
        await ProcessedEverythingSentAsync();
        Assert.Equal(1, _member.Proposals);
        return (first, second);
    }

    private Task<IMessage> Change(IMessage request, CancellationToken ct = default)
    {
        var completion = new TaskCompletionSource<IMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _membership.Tell(new ChangeMembership(request, ct, completion));
        return completion.Task;
    }

    /// <summary>The actor answers Identify in mailbox order: every change sent before has been started or stashed.</summary>
    private Task ProcessedEverythingSentAsync() => _membership.Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(5));

    /// <summary>
    /// One member (id 1 at <see cref="TakenPeerUrl"/>). Proposals wait until the test commits them; a proposal while
    /// another is pending is dropped as Raft drops it, and an applied change is checked by a real member list.
    /// </summary>
    private sealed class OneChangeAtATimeMember : IMembershipChangeHost
    {
        private readonly object _lock = new();
        private readonly ClusterMembership _members = new(clusterId: 7);
        private readonly TaskCompletionSource _commit = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private bool _pending;
        private int _proposals;

        public OneChangeAtATimeMember()
        {
            _members.Add(new ClusterMember(1, "first", [TakenPeerUrl], ["http://10.0.0.1:2379"], false));
        }

        public ulong LocalMemberId => 1;

        public ulong Leader => 1;

        public int Proposals
        {
            get
            {
                lock (_lock)
                {
                    return _proposals;
                }
            }
        }

        public void CommitProposals() => _commit.TrySetResult();

        public Task<MemberListResponse> ReadMemberListAsync(CancellationToken ct)
        {
            lock (_lock)
            {
                return Task.FromResult(ApplyActor.MemberList(_members));
            }
        }

        public async Task ProposeMembershipChangeAsync(ConfChange change, CancellationToken ct)
        {
            lock (_lock)
            {
                _proposals++;
                if (_pending)
                {
                    throw EtcdErrors.MemberNotEnoughStarted;
                }
                _pending = true;
            }
            await _commit.Task.WaitAsync(ct);
            lock (_lock)
            {
                _pending = false;
                switch (change.Type)
                {
                    case ConfChangeType.ConfChangeAddNode:
                        _members.Add(ClusterMembership.DecodeContext(change.Context.Span) with { IsLearner = false });
                        break;
                    case ConfChangeType.ConfChangeRemoveNode:
                        _members.Remove(change.NodeId);
                        break;
                    default:
                        throw new NotSupportedException(change.Type.ToString());
                }
            }
        }

        public Task<RaftStatus> RaftStatusAsync(CancellationToken ct) => throw new NotSupportedException();

        public Task<MemberPromoteResponse> PromoteThroughLeaderAsync(string leaderClientUrl, MemberPromoteRequest request, CancellationToken ct) =>
            throw new NotSupportedException();
    }

    /// <summary>A clock that moves only when the test moves it.</summary>
    private sealed class SteppedClock : TimeProvider
    {
        private long _ticks = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;

        public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }
}
