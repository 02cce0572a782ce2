using ActorStore.Mvcc;
using ActorStore.Persistence;
using ActorStore.Persistence.Embedded;
using ActorStore.Protocol.Errors;
using ActorStore.Raft;
using ActorStore.Raft.Shell;
using ActorStore.Server.Apply;
using ActorStore.Server.Kv;
using ActorStore.Server.Lease;
using ActorStore.Server.Log;
using ActorStore.Server.Membership;
using ActorStore.Server.Peers;
using ActorStore.Server.Watch;
using Akka.Actor;
using Etcdserverpb;
using Google.Protobuf;
using Lessorpb;
using Microsoft.Extensions.Logging;
using Peerpb;
using Raftpb;

namespace ActorStore.Server;

/// <summary>
/// One ActorStore member: recovers its Raft log and state machine from the data dir, joins its peers over the
/// Akka.Remote, and serves etcd's requests by messaging its actors. Writes go Raft member (log, journal,
/// replication) -> apply actor -> the waiting request; linearizable reads confirm a read index with the leader first,
/// serializable reads go straight to the local apply actor.
/// </summary>
public sealed class EtcdMember : IAsyncDisposable
{
    private readonly MemberOptions _options;
    private readonly Func<long> _journalSizeBytes;
    private readonly MemberActorHost _host;
    private readonly ActorSystem _system;
    private readonly PeerIdentity _peerIdentity;
    private readonly PeerAddressBook _peerAddresses;
    private readonly int _peerPort;
    private readonly IActorRef _raft;
    private readonly IActorRef _apply;
    private readonly RaftStateBoard _board;
    private readonly RequestIdGenerator _requestIds;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _publishing;
    private int _disposed;

    internal EtcdMember(
        MemberOptions options, MemberIdentityBoard identity, Func<long> journalSizeBytes, MemberActorHost host,
        PeerIdentity peerIdentity, PeerAddressBook peerAddresses, int peerPort, IActorRef raft, IActorRef apply, IActorRef watchHub, IActorRef lessor, PeerDirectory peers,
        RevisionBoard revision, RaftStateBoard board, ILogger logger, Task removed, LearnerFlag learner, Task raftStopped)
    {
        _lessor = lessor;
        _peers = peers;
        _revision = revision;
        Removed = removed;
        RaftStopped = raftStopped;
        _learner = learner;
        _options = options;
        _identity = identity;
        _journalSizeBytes = journalSizeBytes;
        _host = host;
        _system = host.System;
        _peerIdentity = peerIdentity;
        _peerAddresses = peerAddresses;
        _peerPort = peerPort;
        _raft = raft;
        _apply = apply;
        _board = board;
        _logger = logger;
        _requestIds = new RequestIdGenerator(identity.Current.MemberId, DateTimeOffset.UtcNow);
        Watches = new MemberWatches(_system, watchHub, apply, ResponseHeaderAt, options);
        lessor.Tell(new LessorWiring(apply, RevokeExpiredAsync));
        _publishing = PublishAttributesAsync(_stopping.Token);
    }

    private readonly MemberIdentityBoard _identity;
    private readonly LearnerFlag _learner;
    private readonly IActorRef _lessor;
    private readonly PeerDirectory _peers;
    private readonly RevisionBoard _revision;

    /// <summary>A learner serves only Status and serializable reads, as etcd's learners do.</summary>
    /// <summary>A learner serves only Status and serializable reads: etcd refuses every other call, streams included.</summary>
    public void RefuseOnLearner()
    {
        if (_learner.Value)
        {
            throw EtcdErrors.NotSupportedForLearner;
        }
    }

    /// <summary>Who this member is; a joining member has ids 0 until the cluster has reached it.</summary>
    public MemberIdentity Identity => _identity.Current;

    /// <summary>The actor system the member's actors live in, for .NET programs that message them directly.</summary>
    public ActorSystem System => _system;

    /// <summary>Completes if the Raft actor stops while the member runs: the member cannot go on serving.</summary>
    public Task RaftStopped { get; }

    /// <summary>Completes when the cluster removed this member: like etcd, it then has nothing left to serve.</summary>
    public Task Removed { get; }

    /// <summary>Term, leader and log position as the Raft actor last published them.</summary>
    public RaftObservedState Raft => _board.Current;

    /// <summary>Watches on this member, for code in the same process; the gRPC Watch service uses the same watchers.</summary>
    public IWatchSource Watches { get; }

    /// <summary>A response header of this member at <paramref name="revision"/>.</summary>
    public ResponseHeader ResponseHeaderAt(long revision)
    {
        var identity = Identity;
        return new ResponseHeader
        {
            ClusterId = identity.ClusterId,
            MemberId = identity.MemberId,
            RaftTerm = _board.Current.Term,
            Revision = revision,
        };
    }

    /// <summary>The port peers reach this member on (the bound one, when the peer URL asked for port 0).</summary>
    public int PeerPort => _peerPort;

    public static Task<EtcdMember> StartAsync(MemberOptions options, ILoggerFactory loggers, CancellationToken ct = default) =>
        MemberStartup.StartAsync(options, loggers, ct);

    public Task<RangeResponse> RangeAsync(RangeRequest request, CancellationToken ct = default)
    {
        if (!request.Serializable)
        {
            RefuseOnLearner();
        }
        KvRequestValidator.Validate(request);
        return ReadAsync<RangeResponse>(view => view.Kv.Range(request), request.Serializable, ct);
    }

    public Task<PutResponse> PutAsync(PutRequest request, CancellationToken ct = default, DateTime? deadline = null)
    {
        RefuseOnLearner();
        KvRequestValidator.Validate(request);
        return ProposeAsync<PutResponse>(new InternalRaftRequest { Put = request }, ct, deadline);
    }

    public Task<DeleteRangeResponse> DeleteRangeAsync(DeleteRangeRequest request, CancellationToken ct = default, DateTime? deadline = null)
    {
        RefuseOnLearner();
        KvRequestValidator.Validate(request);
        return ProposeAsync<DeleteRangeResponse>(new InternalRaftRequest { DeleteRange = request }, ct, deadline);
    }

    public Task<TxnResponse> TxnAsync(TxnRequest request, CancellationToken ct = default, DateTime? deadline = null)
    {
        RefuseOnLearner();
        KvRequestValidator.Validate(request, _options.MaxTxnOps);
        return IsReadOnly(request)
            ? ReadAsync<TxnResponse>(view => view.Kv.Txn(request), IsSerializable(request), ct)
            : ProposeAsync<TxnResponse>(new InternalRaftRequest { Txn = request }, ct, deadline);
    }

    public Task<CompactionResponse> CompactAsync(CompactionRequest request, CancellationToken ct = default, DateTime? deadline = null)
    {
        RefuseOnLearner();
        return ProposeAsync<CompactionResponse>(new InternalRaftRequest { Compaction = request }, ct, deadline);
    }

    /// <summary>Grants a lease through the log; an ID of 0 asks the member to choose one, as etcd does.</summary>
    public Task<LeaseGrantResponse> LeaseGrantAsync(LeaseGrantRequest request, CancellationToken ct = default, DateTime? deadline = null)
    {
        RefuseOnLearner();
        if (request.ID == 0)
        {
            request = new LeaseGrantRequest(request) { ID = (long)(_requestIds.Next() & long.MaxValue) };
        }
        return ProposeAsync<LeaseGrantResponse>(new InternalRaftRequest { LeaseGrant = request }, ct, deadline);
    }

    /// <summary>Revokes a lease through the log: its keys are deleted in one revision.</summary>
    public Task<LeaseRevokeResponse> LeaseRevokeAsync(LeaseRevokeRequest request, CancellationToken ct = default, DateTime? deadline = null)
    {
        RefuseOnLearner();
        return ProposeAsync<LeaseRevokeResponse>(new InternalRaftRequest { LeaseRevoke = request }, ct, deadline);
    }

    /// <summary>
    /// One keep-alive: the leader's lease actor renews the lease; a follower hands it to the leader. TTL 0 when the lease
    /// does not exist (any more), as etcd answers keep-alives.
    /// </summary>
    public async Task<LeaseKeepAliveResponse> LeaseRenewAsync(long id, CancellationToken ct = default)
    {
        RefuseOnLearner();
        var answer = await AskLessorAsync(new RenewLease { Id = id }, ct).ConfigureAwait(false);
        return new LeaseKeepAliveResponse
        {
            Header = ResponseHeaderAt(_revision.Current),
            ID = id,
            TTL = answer.Outcome == LessorAnswer.Types.Outcome.Ok ? answer.Ttl : 0,
        };
    }

    /// <summary>Remaining and granted TTL (and the keys) from the leader's lease actor; TTL -1 for a lease that does not exist.</summary>
    public async Task<LeaseTimeToLiveResponse> LeaseTimeToLiveAsync(LeaseTimeToLiveRequest request, CancellationToken ct = default)
    {
        RefuseOnLearner();
        var answer = await AskLessorAsync(new QueryTimeToLive { Id = request.ID, Keys = request.Keys }, ct).ConfigureAwait(false);
        var response = new LeaseTimeToLiveResponse { Header = ResponseHeaderAt(_revision.Current), ID = request.ID, TTL = -1 };
        if (answer.Outcome == LessorAnswer.Types.Outcome.Ok)
        {
            response.TTL = answer.Ttl;
            response.GrantedTTL = answer.GrantedTtl;
            response.Keys.AddRange(answer.Keys);
        }
        return response;
    }

    /// <summary>The leases this member knows, from its own lessor (etcd answers LeaseLeases locally too).</summary>
    public async Task<LeaseLeasesResponse> LeaseLeasesAsync(CancellationToken ct = default)
    {
        RefuseOnLearner();
        var ids = await _lessor.Ask<LeaseIds>(ListLeases.Instance, _options.RequestTimeout, ct).ConfigureAwait(false);
        var response = new LeaseLeasesResponse { Header = ResponseHeaderAt(_revision.Current) };
        foreach (var id in ids.Ids)
        {
            response.Leases.Add(new LeaseStatus { ID = id });
        }
        return response;
    }

    /// <summary>The leader's lessor revokes expired leases through the log like a client's revoke.</summary>
    private Task RevokeExpiredAsync(long id) =>
        ProposeAsync<LeaseRevokeResponse>(new InternalRaftRequest { LeaseRevoke = new LeaseRevokeRequest { ID = id } }, _stopping.Token);

    /// <summary>
    /// Asks the primary lessor (the leader's, local or over the peer transport), waiting through elections and the
    /// moment between a leader's election and its lessor taking over, up to the request timeout.
    /// </summary>
    private async Task<LessorAnswer> AskLessorAsync(IMessage question, CancellationToken ct)
    {
        var attemptTimeout = _options.HeartbeatInterval * _options.ElectionTicks;
        var deadline = DateTimeOffset.UtcNow + _options.RequestTimeout;
        while (DateTimeOffset.UtcNow < deadline)
        {
            ct.ThrowIfCancellationRequested();
            var leader = _board.Current.Leader;
            var (target, message) = leader == Identity.MemberId ? ((IActorRef?)_lessor, question)
                : leader != 0 && _peers.Addresses.TryGetValue(leader, out var address) ? (PeerRefs.Gate(_system, _peerAddresses.AddressOf(leader) ?? address), EnvelopeFor(question))
                : (null, question);
            if (target is not null)
            {
                try
                {
                    var answer = await target.Ask<LessorAnswer>(message, attemptTimeout, ct).ConfigureAwait(false);
                    if (answer.Outcome != LessorAnswer.Types.Outcome.NotPrimary)
                    {
                        return answer;
                    }
                }
                catch (AskTimeoutException)
                {
                }
            }
            await Task.Delay(_options.HeartbeatInterval, ct).ConfigureAwait(false);
        }
        throw _board.Current.Leader == 0 ? EtcdErrors.NoLeader : EtcdErrors.Timeout;
    }

    /// <summary>A question for the leader's lessor, as it travels to another member.</summary>
    private PeerEnvelope EnvelopeFor(IMessage question)
    {
        var envelope = new PeerEnvelope { ClusterId = _peerIdentity.ClusterId, MemberId = _peerIdentity.MemberId };
        switch (question)
        {
            case RenewLease renew:
                envelope.RenewLease = renew;
                break;
            case QueryTimeToLive query:
                envelope.QueryTimeToLive = query;
                break;
            default:
                throw new ArgumentException($"{question.GetType().Name} is not a question for a lessor", nameof(question));
        }
        return envelope;
    }

    public Task<HashResponse> HashAsync(CancellationToken ct = default)
    {
        RefuseOnLearner();
        return ReadAsync<HashResponse>(view => view.Kv.Hash(), serializable: true, ct);
    }

    public Task<HashKVResponse> HashKVAsync(HashKVRequest request, CancellationToken ct = default)
    {
        RefuseOnLearner();
        return ReadAsync<HashKVResponse>(view => view.Kv.HashKV(request), serializable: true, ct);
    }

    public Task<StatusResponse> StatusAsync(CancellationToken ct = default)
    {
        var dbSize = _journalSizeBytes();
        var raft = _board.Current;
        return ReadAsync<StatusResponse>(view => new StatusResponse
        {
            Header = new ResponseHeader { Revision = view.Store.CurrentRevision },
            Version = EtcdVersions.Server,
            DbSize = dbSize,
            DbSizeInUse = dbSize,
            Leader = raft.Leader,
            RaftIndex = raft.CommitIndex,
            RaftTerm = raft.Term,
            RaftAppliedIndex = view.AppliedIndex,
            IsLearner = view.Membership.Find(Identity.MemberId)?.IsLearner ?? false,
        }, serializable: true, ct);
    }

    /// <summary>
    /// etcd's MoveLeader: only the leader hands over, only to a voting member, and the answer waits until the target
    /// leads (or the transfer takes too long).
    /// </summary>
    public async Task<MoveLeaderResponse> MoveLeaderAsync(MoveLeaderRequest request, CancellationToken ct = default)
    {
        RefuseOnLearner();
        if (_board.Current.Leader != Identity.MemberId)
        {
            throw EtcdErrors.NotLeader;
        }
        var members = await MemberListCoreAsync(ct).ConfigureAwait(false);
        if (members.Members.FirstOrDefault(m => m.ID == request.TargetID) is not { IsLearner: false })
        {
            throw EtcdErrors.BadLeaderTransferee;
        }
        _logger.LogInformation("leadership transfer starting from {current-leader-member-id} to {transferee-member-id}",
            MemberIdentity.FormatId(Identity.MemberId), MemberIdentity.FormatId(request.TargetID));
        _raft.Tell(new TransferLeadership(request.TargetID));
        var deadline = DateTime.UtcNow + _options.RequestTimeout;
        while (_board.Current.Leader != request.TargetID)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new RpcException(StatusCode.Unknown, "etcdserver: request timed out, leader transfer took too long");
            }
            await Task.Delay(_options.HeartbeatInterval, ct).ConfigureAwait(false);
        }
        return await ReadAsync<MoveLeaderResponse>(
            view => new MoveLeaderResponse { Header = new ResponseHeader { Revision = view.Store.CurrentRevision } },
            serializable: true, ct).ConfigureAwait(false);
    }

    public async Task<MemberAddResponse> MemberAddAsync(MemberAddRequest request, CancellationToken ct = default)
    {
        RefuseOnLearner();
        var urls = ValidPeerUrls(request.PeerURLs);
        var id = MemberIdentity.ComputeMemberId(urls, "", DateTimeOffset.UtcNow);
        var before = await MemberListCoreAsync(ct).ConfigureAwait(false);
        if (request.IsLearner && before.Members.Count(m => m.IsLearner) >= MaxLearners)
        {
            throw EtcdErrors.TooManyLearners;
        }
        var member = new ClusterMember(id, "", urls, [], request.IsLearner);
        await ProposeMembershipChangeAsync(new ConfChange
        {
            Type = request.IsLearner ? ConfChangeType.ConfChangeAddLearnerNode : ConfChangeType.ConfChangeAddNode,
            NodeId = id,
            Context = ByteString.CopyFrom(ClusterMembership.EncodeContext(member)),
        }, ct).ConfigureAwait(false);
        var after = await MemberListCoreAsync(ct).ConfigureAwait(false);
        var response = new MemberAddResponse { Header = after.Header, Member = after.Members.First(m => m.ID == id) };
        response.Members.AddRange(after.Members);
        return response;
    }

    public async Task<MemberRemoveResponse> MemberRemoveAsync(MemberRemoveRequest request, CancellationToken ct = default)
    {
        RefuseOnLearner();
        await ProposeMembershipChangeAsync(
            new ConfChange { Type = ConfChangeType.ConfChangeRemoveNode, NodeId = request.ID }, ct).ConfigureAwait(false);
        var after = await MemberListCoreAsync(ct).ConfigureAwait(false);
        var response = new MemberRemoveResponse { Header = after.Header };
        response.Members.AddRange(after.Members);
        return response;
    }

    public async Task<MemberUpdateResponse> MemberUpdateAsync(MemberUpdateRequest request, CancellationToken ct = default)
    {
        RefuseOnLearner();
        var urls = ValidPeerUrls(request.PeerURLs);
        await ProposeMembershipChangeAsync(new ConfChange
        {
            Type = ConfChangeType.ConfChangeUpdateNode,
            NodeId = request.ID,
            Context = ByteString.CopyFrom(ClusterMembership.EncodeContext(new ClusterMember(request.ID, "", urls, [], false))),
        }, ct).ConfigureAwait(false);
        var after = await MemberListCoreAsync(ct).ConfigureAwait(false);
        var response = new MemberUpdateResponse { Header = after.Header };
        response.Members.AddRange(after.Members);
        return response;
    }

    /// <summary>
    /// Promotes a learner to voter. Only the leader knows how far the learner got, so a follower hands the request to
    /// the leader's client URL, as etcd forwards it over its peer API; the leader refuses while the learner lags.
    /// </summary>
    public async Task<MemberPromoteResponse> MemberPromoteAsync(MemberPromoteRequest request, CancellationToken ct = default)
    {
        RefuseOnLearner();
        var leader = _board.Current.Leader;
        if (leader == 0)
        {
            throw EtcdErrors.NoLeader;
        }
        var members = await MemberListCoreAsync(ct).ConfigureAwait(false);
        var learner = members.Members.FirstOrDefault(m => m.ID == request.ID) ?? throw EtcdErrors.MemberNotFound;
        if (!learner.IsLearner)
        {
            throw EtcdErrors.MemberNotLearner;
        }
        if (leader != Identity.MemberId)
        {
            var leaderUrl = members.Members.FirstOrDefault(m => m.ID == leader)?.ClientURLs.FirstOrDefault() ?? throw EtcdErrors.NoLeader;
            using var connection = new ActorStore.Client.Grpc.GrpcConnection(new Uri(leaderUrl));
            try
            {
                return await connection.UnaryAsync("/etcdserverpb.Cluster/MemberPromote", request, MemberPromoteResponse.Parser,
                    new ActorStore.Client.Grpc.CallOptions { CancellationToken = ct, Deadline = DateTime.UtcNow + _options.RequestTimeout }).ConfigureAwait(false);
            }
            catch (RpcException e) when (e.Status is StatusCode.DeadlineExceeded or StatusCode.Cancelled)
            {
                // The forwarded call's own deadline: etcd answers its timeout here, which clients do not resend.
                throw EtcdErrors.Timeout;
            }
        }
        var readiness = new TaskCompletionSource<RaftStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        _raft.Tell(new GetRaftStatus(readiness));
        var status = await readiness.Task.WaitAsync(_options.RequestTimeout, ct).ConfigureAwait(false);
        if (status.Progress.TryGetValue(request.ID, out var progress)
            && status.Progress.TryGetValue(Identity.MemberId, out var own)
            && progress.Match < own.Match * LearnerReadyFraction)
        {
            throw EtcdErrors.LearnerNotReady;
        }
        await ProposeMembershipChangeAsync(new ConfChange
        {
            Type = ConfChangeType.ConfChangeAddNode,
            NodeId = request.ID,
            Context = ByteString.CopyFrom(ClusterMembership.EncodeContext(
                new ClusterMember(request.ID, learner.Name, learner.PeerURLs.ToArray(), learner.ClientURLs.ToArray(), false))),
        }, ct).ConfigureAwait(false);
        var after = await MemberListCoreAsync(ct).ConfigureAwait(false);
        var response = new MemberPromoteResponse { Header = after.Header };
        response.Members.AddRange(after.Members);
        return response;
    }

    /// <summary>etcd allows one learner at a time.</summary>
    private const int MaxLearners = 1;

    /// <summary>A learner may be promoted once it has 90% of the leader's log, as etcd requires.</summary>
    private const double LearnerReadyFraction = 0.9;

    private static string[] ValidPeerUrls(IEnumerable<string> urls)
    {
        var valid = urls.ToArray();
        if (valid.Length == 0 || valid.Any(url =>
                !Uri.TryCreate(url, UriKind.Absolute, out var parsed)
                || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)
                || parsed.IsDefaultPort && !url.Contains(':', StringComparison.Ordinal)
                || parsed.AbsolutePath != "/"))
        {
            throw EtcdErrors.MemberBadURLs;
        }
        return valid;
    }

    private async Task ProposeMembershipChangeAsync(ConfChange change, CancellationToken ct)
    {
        var id = _requestIds.Next();
        change.Id = id;
        var completion = new TaskCompletionSource<IMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var proposedAt = _system.Scheduler.Now;
        var deadline = ProposalDeadlineOf(proposedAt, clientDeadline: null);
        _apply.Tell(new AwaitResult(id, completion));
        _raft.Tell(new ProposeMembershipChange(change, deadline, completion));
        try
        {
            await WaitForProposalAsync(completion.Task, proposedAt, deadline, ct).ConfigureAwait(false);
        }
        catch
        {
            _apply.Tell(new ForgetWaiter(id));
            throw;
        }
    }

    /// <summary>Alarm list answers from the local member list; raising and disarming go through the log.</summary>
    public Task<AlarmResponse> AlarmAsync(AlarmRequest request, CancellationToken ct = default)
    {
        RefuseOnLearner();
        return request.Action == AlarmRequest.Types.AlarmAction.Get
            ? ReadAsync<AlarmResponse>(view => ApplyActor.ApplyAlarm(request, view.Membership), serializable: true, ct)
            : ProposeAsync<AlarmResponse>(new InternalRaftRequest { Alarm = request }, ct);
    }

    public Task<MemberListResponse> MemberListAsync(CancellationToken ct = default)
    {
        RefuseOnLearner();
        return MemberListCoreAsync(ct);
    }

    private Task<MemberListResponse> MemberListCoreAsync(CancellationToken ct) =>
        ReadAsync<MemberListResponse>(view => ApplyActor.MemberList(view.Membership), serializable: true, ct);

    /// <summary>etcd's health check: the member knows a leader and can serve a read within a second.</summary>
    public async Task<bool> IsHealthyAsync(CancellationToken ct = default)
    {
        if (_board.Current.Leader == 0)
        {
            return false;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            await ReadAsync<RangeResponse>(
                view => view.Kv.Range(new RangeRequest { Key = HealthKey }), serializable: false, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is OperationCanceledException or RpcException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _publishing.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        await _host.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
        _logger.LogInformation("stopped member {local-member-id}", MemberIdentity.FormatId(Identity.MemberId));
    }

    private static readonly ByteString HealthKey = ByteString.CopyFromUtf8("health");

    private async Task<T> ProposeAsync<T>(InternalRaftRequest request, CancellationToken ct, DateTime? clientDeadline = null) where T : class, IMessage
    {
        var id = _requestIds.Next();
        request.Header = new RequestHeader { ID = id };
        var payload = request.ToByteString();
        if (payload.Length > _options.MaxRequestBytes)
        {
            throw EtcdErrors.RequestTooLarge;
        }
        var completion = new TaskCompletionSource<IMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var proposedAt = _system.Scheduler.Now;
        var deadline = ProposalDeadlineOf(proposedAt, clientDeadline);
        // The waiter is in the apply actor's mailbox before the proposal is in the Raft actor's: it cannot miss the entry.
        _apply.Tell(new AwaitResult(id, completion));
        _raft.Tell(new ProposeEntry(payload, deadline, completion));
        try
        {
            return (T)await WaitForProposalAsync(completion.Task, proposedAt, deadline, ct).ConfigureAwait(false);
        }
        catch
        {
            _apply.Tell(new ForgetWaiter(id));
            throw;
        }
    }

    private async Task<T> ReadAsync<T>(Func<ApplyView, IMessage> read, bool serializable, CancellationToken ct) where T : class, IMessage
    {
        var completion = new TaskCompletionSource<IMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var query = new Query(read, completion);
        if (serializable)
        {
            _apply.Tell(query);
        }
        else
        {
            var readIndex = new TaskCompletionSource<ulong>(TaskCreationOptions.RunContinuationsAsynchronously);
            _raft.Tell(new ReadIndexRequest(readIndex));
            ulong index;
            try
            {
                index = await readIndex.Task.WaitAsync(_options.RequestTimeout, ct).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw _board.Current.Leader == 0 ? EtcdErrors.NoLeader : EtcdErrors.Timeout;
            }
            _apply.Tell(new QueryAt(index, query));
        }
        return (T)await WaitAsync(completion.Task, ct).ConfigureAwait(false);
    }

    private async Task<IMessage> WaitAsync(Task<IMessage> task, CancellationToken ct)
    {
        try
        {
            return await task.WaitAsync(_options.RequestTimeout, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw _board.Current.Leader == 0 ? EtcdErrors.NoLeader : EtcdErrors.Timeout;
        }
    }

    /// <summary>When a proposal's request gives up: after the request timeout, or at the client's deadline if that is sooner.</summary>
    private DateTimeOffset ProposalDeadlineOf(DateTimeOffset proposedAt, DateTime? clientDeadline)
    {
        var deadline = proposedAt + _options.RequestTimeout;
        if (clientDeadline is { } client)
        {
            var clientAt = new DateTimeOffset(DateTime.SpecifyKind(client, DateTimeKind.Utc));
            return clientAt < deadline ? clientAt : deadline;
        }
        return deadline;
    }

    /// <summary>
    /// Waits for a proposal to be applied. When its deadline passes, or the request's token fires (the client's
    /// deadline, or the client went away and hears nothing), the answer is etcd's timeout error: never a status that
    /// a client takes as "not sent" and resends, since the proposal may still be committed.
    /// </summary>
    private async Task<IMessage> WaitForProposalAsync(Task<IMessage> task, DateTimeOffset proposedAt, DateTimeOffset deadline, CancellationToken ct)
    {
        var remaining = deadline - _system.Scheduler.Now;
        try
        {
            return await task.WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException || (e is OperationCanceledException && ct.IsCancellationRequested && !_stopping.IsCancellationRequested))
        {
            throw ProposalTimeouts.ErrorFor(proposedAt, _board.Current, Identity.MemberId, _options.HeartbeatInterval * _options.ElectionTicks);
        }
    }

    /// <summary>
    /// Publishes this member's name and client URLs through the log, as etcd does once it serves, so every member lists
    /// them. Retried until it is applied or the member stops.
    /// </summary>
    private async Task PublishAttributesAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var identity = Identity;
            var attributes = global::System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["name"] = identity.Name,
                ["clientURLs"] = identity.ClientUrls,
            });
            try
            {
                if (identity.MemberId != 0)
                {
                    await ProposeAsync<EmptyResponse>(new InternalRaftRequest
                    {
                        V2 = new Etcdserverpb.Request
                        {
                            Method = "PUT",
                            Path = $"/0/members/{MemberIdentity.FormatId(identity.MemberId)}/attributes",
                            Val = attributes,
                        },
                    }, ct).ConfigureAwait(false);
                    _logger.LogInformation("published local member to cluster through raft {local-member-attributes}", attributes);
                    return;
                }
            }
            catch (RpcException)
            {
            }
            await Task.Delay(_options.HeartbeatInterval * 5, ct).ConfigureAwait(false);
        }
    }

    /// <summary>A txn whose every branch only reads needs no log entry: etcd serves it like a range.</summary>
    private static bool IsReadOnly(TxnRequest txn)
    {
        foreach (var op in txn.Success)
        {
            if (!IsReadOnly(op)) return false;
        }
        foreach (var op in txn.Failure)
        {
            if (!IsReadOnly(op)) return false;
        }
        return true;
    }

    private static bool IsReadOnly(RequestOp op) => op.RequestCase switch
    {
        RequestOp.RequestOneofCase.RequestRange => true,
        RequestOp.RequestOneofCase.RequestTxn => IsReadOnly(op.RequestTxn),
        _ => false,
    };

    /// <summary>etcd serves a read-only txn locally only when every range in it asks to be serializable.</summary>
    private static bool IsSerializable(TxnRequest txn) =>
        txn.Success.Concat(txn.Failure).All(op => op.RequestCase switch
        {
            RequestOp.RequestOneofCase.RequestRange => op.RequestRange.Serializable,
            RequestOp.RequestOneofCase.RequestTxn => IsSerializable(op.RequestTxn),
            _ => false,
        });
}
