using ActorStore.Protocol.Errors;
using ActorStore.Raft;
using ActorStore.Raft.Shell;
using ActorStore.Server.Apply;
using ActorStore.Server.Auth;
using ActorStore.Server.Concurrency;
using ActorStore.Server.Kv;
using ActorStore.Server.Lease;
using ActorStore.Server.Maintenance;
using ActorStore.Server.Membership;
using ActorStore.Server.Metrics;
using ActorStore.Server.Peers;
using ActorStore.Server.V2;
using ActorStore.Server.Quota;
using ActorStore.Server.Watch;
using Akka.Actor;
using Etcdserverpb;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace ActorStore.Server;

/// <summary>
/// One ActorStore member: recovers its Raft log and state machine from the data dir, joins its peers over the
/// Akka.Remote, and serves etcd's requests by messaging its actors. Writes go Raft member (log, journal,
/// replication) -> apply actor -> the waiting request; linearizable reads confirm a read index with the leader first,
/// serializable reads go straight to the local apply actor.
/// </summary>
/// <remarks>
/// Start-up is <see cref="MemberStartup"/>'s job. The requests are served by one class per job (KV, leases,
/// membership, maintenance), which the public methods here forward to; every one of them proposes and reads through
/// the plumbing at the end of this class.
/// </remarks>
public sealed class EtcdMember : IAsyncDisposable
{
    private readonly MemberOptions _options;
    private readonly MemberActorHost _host;
    private readonly ActorSystem _system;
    private readonly int _peerPort;
    private readonly IActorRef _raft;
    private readonly IActorRef _apply;
    private readonly RaftStateBoard _board;
    private readonly RequestIdGenerator _requestIds;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _publishing;
    private readonly Task _v2ExpirySync;
    private int _disposed;

    internal EtcdMember(
        MemberOptions options, MemberIdentityBoard identity, BackendSizeBoard backendSize, MemberActorHost host,
        PeerIdentity peerIdentity, PeerAddressBook peerAddresses, int peerPort, IActorRef raft, IActorRef apply, IActorRef watchHub, IActorRef lessor, PeerDirectory peers,
        RevisionBoard revision, RaftStateBoard board, ILogger logger, Task removed, LearnerFlag learner, Task raftStopped,
        AuthStateBoard authBoard, ITokenProvider tokens, MemberMetrics metrics, V2ServerStats v2ServerStats, V2LeaderStats v2LeaderStats)
    {
        Metrics = metrics;
        Removed = removed;
        RaftStopped = raftStopped;
        _learner = learner;
        _options = options;
        _identity = identity;
        _host = host;
        _system = host.System;
        _peerPort = peerPort;
        _raft = raft;
        _apply = apply;
        _board = board;
        _logger = logger;
        _requestIds = new RequestIdGenerator(identity.Current.MemberId, DateTimeOffset.UtcNow);
        _kv = new KvRequests(this, options);
        _leases = new LeaseRequests(this, options, _requestIds, lessor, revision, peers, peerAddresses, peerIdentity, _stopping.Token);
        _membership = new MembershipRequests(this, options, _requestIds, apply, raft, logger);
        _maintenance = new MaintenanceRequests(this, options, backendSize, raft, apply, _membership, logger);
        _quota = new QuotaAlarmer(this, new BackendQuota(options.QuotaBackendBytes, backendSize), options.QuotaBackendBytes, logger);
        Watches = new MemberWatches(_system, watchHub, apply, ResponseHeaderAt, options);
        Concurrency = new MemberConcurrency(_system, new ConcurrencyClient(this));
        CheckedConcurrency = new CheckedConcurrency(this);
        Auth = new AuthRequests(this, options, authBoard, tokens);
        lessor.Tell(new LessorWiring(apply, _leases.RevokeExpiredAsync));
        _publishing = _membership.PublishAttributesAsync(_stopping.Token);
        V2 = new V2Keys(this, v2ServerStats, v2LeaderStats);
        _v2ExpirySync = V2.RunExpirySyncAsync(_stopping.Token);
        metrics.Registry.AddBeforeCollectCallback(() => UpdateScrapedMetrics(backendSize));
    }

    /// <summary>This member's Prometheus series (its own registry), for /metrics and the gateway's gRPC counts.</summary>
    public MemberMetrics Metrics { get; }

    /// <summary>Series read from the member's state when Prometheus scrapes, rather than counted as things happen.</summary>
    private void UpdateScrapedMetrics(BackendSizeBoard backendSize)
    {
        var raft = _board.Current;
        var memberId = _identity.Current.MemberId;
        Metrics.HasLeader.Set(raft.Leader != 0 ? 1 : 0);
        Metrics.IsLeader.Set(raft.Leader != 0 && raft.Leader == memberId ? 1 : 0);
        Metrics.LeaderChanges.IncTo(_board.LeaderChanges);
        Metrics.ProposalsCommitted.Set(raft.CommitIndex);
        if (memberId != 0)
        {
            Metrics.ServerId.WithLabels(MemberIdentity.FormatId(memberId)).Set(1);
        }
        Metrics.DbTotalSize.Set(backendSize.Total);
        Metrics.DbTotalSizeInUse.Set(backendSize.InUse);
        Metrics.RaftMailboxDepth.Set(MailboxDepth(_raft));
        Metrics.ApplyMailboxDepth.Set(MailboxDepth(_apply));
    }

    private static int MailboxDepth(IActorRef actor) => actor is ActorRefWithCell { Underlying: { } cell } ? cell.NumberOfMessages : 0;

    private readonly MemberIdentityBoard _identity;
    private readonly LearnerFlag _learner;
    private readonly KvRequests _kv;
    private readonly LeaseRequests _leases;
    private readonly MembershipRequests _membership;
    private readonly MaintenanceRequests _maintenance;
    private readonly QuotaAlarmer _quota;

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

    /// <summary>Completes once the member has published its name and client URLs through the log: etcd's "ready to serve".</summary>
    public Task Published => _publishing;

    /// <summary>Completes when the cluster removed this member: like etcd, it then has nothing left to serve.</summary>
    public Task Removed { get; }

    /// <summary>Term, leader and log position as the Raft actor last published them.</summary>
    public RaftObservedState Raft => _board.Current;

    /// <summary>Watches on this member, for code in the same process; the gRPC Watch service uses the same watchers.</summary>
    public IWatchSource Watches { get; }

    /// <summary>etcd's Auth service, and who a call comes from.</summary>
    public AuthRequests Auth { get; }

    /// <summary>etcd's v2 keys API on this member (served over HTTP only with --enable-v2).</summary>
    public V2Keys V2 { get; }

    /// <summary>The member's lock and election server actors (etcd's v3lock and v3election services).</summary>
    public MemberConcurrency Concurrency { get; }

    /// <summary>The lock and election calls of a client, with etcd's learner refusal and auth checks before them.</summary>
    public CheckedConcurrency CheckedConcurrency { get; }

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

    // The request surface, one job per class: each method forwards to the class that does its job.

    // A null caller is one without credentials: with auth enabled, etcd refuses it with "user name is empty".

    public Task<RangeResponse> RangeAsync(RangeRequest request, CancellationToken ct = default, AuthInfo? caller = null) =>
        _kv.RangeAsync(request, ct, caller);

    public async Task<PutResponse> PutAsync(PutRequest request, CancellationToken ct = default, DateTime? deadline = null, AuthInfo? caller = null)
    {
        await _quota.CheckAsync(BackendQuota.Cost(request), ct).ConfigureAwait(false);
        return await _kv.PutAsync(request, ct, deadline, caller).ConfigureAwait(false);
    }

    public Task<DeleteRangeResponse> DeleteRangeAsync(DeleteRangeRequest request, CancellationToken ct = default, DateTime? deadline = null, AuthInfo? caller = null) =>
        _kv.DeleteRangeAsync(request, ct, deadline, caller);

    public async Task<TxnResponse> TxnAsync(TxnRequest request, CancellationToken ct = default, DateTime? deadline = null, AuthInfo? caller = null)
    {
        await _quota.CheckAsync(BackendQuota.Cost(request), ct).ConfigureAwait(false);
        return await _kv.TxnAsync(request, ct, deadline, caller).ConfigureAwait(false);
    }

    public Task<CompactionResponse> CompactAsync(CompactionRequest request, CancellationToken ct = default, DateTime? deadline = null, AuthInfo? caller = null) =>
        _kv.CompactAsync(request, ct, deadline, caller);

    /// <inheritdoc cref="LeaseRequests.LeaseGrantAsync"/>
    public async Task<LeaseGrantResponse> LeaseGrantAsync(LeaseGrantRequest request, CancellationToken ct = default, DateTime? deadline = null)
    {
        await _quota.CheckAsync(BackendQuota.Cost(request), ct).ConfigureAwait(false);
        return await _leases.LeaseGrantAsync(request, ct, deadline).ConfigureAwait(false);
    }

    /// <inheritdoc cref="LeaseRequests.LeaseRevokeAsync"/>
    public Task<LeaseRevokeResponse> LeaseRevokeAsync(LeaseRevokeRequest request, CancellationToken ct = default, DateTime? deadline = null, AuthInfo? caller = null) =>
        _leases.LeaseRevokeAsync(request, ct, deadline, caller);

    /// <inheritdoc cref="LeaseRequests.LeaseRenewAsync"/>
    public Task<LeaseKeepAliveResponse> LeaseRenewAsync(long id, CancellationToken ct = default) => _leases.LeaseRenewAsync(id, ct);

    /// <inheritdoc cref="LeaseRequests.LeaseTimeToLiveAsync"/>
    public Task<LeaseTimeToLiveResponse> LeaseTimeToLiveAsync(LeaseTimeToLiveRequest request, CancellationToken ct = default) =>
        _leases.LeaseTimeToLiveAsync(request, ct);

    /// <inheritdoc cref="LeaseRequests.LeaseLeasesAsync"/>
    public Task<LeaseLeasesResponse> LeaseLeasesAsync(CancellationToken ct = default) => _leases.LeaseLeasesAsync(ct);

    public Task<MemberListResponse> MemberListAsync(CancellationToken ct = default) => _membership.MemberListAsync(ct);

    public Task<MemberAddResponse> MemberAddAsync(MemberAddRequest request, CancellationToken ct = default) =>
        _membership.MemberAddAsync(request, ct);

    public Task<MemberRemoveResponse> MemberRemoveAsync(MemberRemoveRequest request, CancellationToken ct = default) =>
        _membership.MemberRemoveAsync(request, ct);

    public Task<MemberUpdateResponse> MemberUpdateAsync(MemberUpdateRequest request, CancellationToken ct = default) =>
        _membership.MemberUpdateAsync(request, ct);

    /// <summary>Promotes a learner to voter, through the leader (see <see cref="MembershipActor"/>).</summary>
    public Task<MemberPromoteResponse> MemberPromoteAsync(MemberPromoteRequest request, CancellationToken ct = default) =>
        _membership.MemberPromoteAsync(request, ct);

    public Task<StatusResponse> StatusAsync(CancellationToken ct = default) => _maintenance.StatusAsync(ct);

    /// <inheritdoc cref="MaintenanceRequests.DefragmentAsync"/>
    public Task<DefragmentResponse> DefragmentAsync(CancellationToken ct = default) => _maintenance.DefragmentAsync(ct);

    public Task<HashResponse> HashAsync(CancellationToken ct = default) => _maintenance.HashAsync(ct);

    public Task<HashKVResponse> HashKVAsync(HashKVRequest request, CancellationToken ct = default) => _maintenance.HashKVAsync(request, ct);

    /// <inheritdoc cref="MaintenanceRequests.MoveLeaderAsync"/>
    public Task<MoveLeaderResponse> MoveLeaderAsync(MoveLeaderRequest request, CancellationToken ct = default) =>
        _maintenance.MoveLeaderAsync(request, ct);

    /// <inheritdoc cref="MaintenanceRequests.SnapshotAsync"/>
    public Task SnapshotAsync(Func<SnapshotResponse, Task> send, CancellationToken ct = default) => _maintenance.SnapshotAsync(send, ct);

    /// <inheritdoc cref="MaintenanceRequests.AlarmAsync"/>
    public Task<AlarmResponse> AlarmAsync(AlarmRequest request, CancellationToken ct = default) => _maintenance.AlarmAsync(request, ct);

    /// <summary>The alarms raised in the cluster, as this member knows them (no learner refusal: /health reads them).</summary>
    public async Task<IReadOnlyList<AlarmMember>> ActiveAlarmsAsync(CancellationToken ct = default) =>
        (await _maintenance.ActiveAlarmsAsync(ct).ConfigureAwait(false)).Alarms;

    /// <summary>
    /// etcd's health check. etcd serves clients only once the member has published its name and client URLs through
    /// the log, so until then (waiting up to a second for it) the member is not healthy either: a member that reports
    /// healthy is listed by its name.
    /// </summary>
    public async Task<bool> IsHealthyAsync(CancellationToken ct = default)
    {
        if (!_publishing.IsCompletedSuccessfully)
        {
            try
            {
                await _publishing.WaitAsync(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException)
            {
                return false;
            }
        }
        return await _maintenance.IsHealthyAsync(ct).ConfigureAwait(false);
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
        await _v2ExpirySync.ConfigureAwait(false);
        await _host.DisposeAsync().ConfigureAwait(false);
        Auth.Dispose();
        _stopping.Dispose();
        _logger.LogInformation("stopped member {local-member-id}", MemberIdentity.FormatId(Identity.MemberId));
    }

    internal async Task<T> ProposeAsync<T>(InternalRaftRequest request, CancellationToken ct, DateTime? clientDeadline = null) where T : class, IMessage
    {
        var id = _requestIds.Next();
        // The caller's name and auth revision, when the request carries them, travel with the entry to the apply side.
        request.Header = new RequestHeader { ID = id, Username = request.Header?.Username ?? "", AuthRevision = request.Header?.AuthRevision ?? 0 };
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
        Metrics.ProposalsPending.Inc();
        try
        {
            return (T)await WaitForProposalAsync(completion.Task, proposedAt, deadline, ct).ConfigureAwait(false);
        }
        catch
        {
            if (!completion.Task.IsCompleted)
            {
                // Not applied (timed out, dropped, cancelled): etcd counts it as a failed proposal.
                Metrics.ProposalsFailed.Inc();
            }
            _apply.Tell(new ForgetWaiter(id));
            throw;
        }
        finally
        {
            Metrics.ProposalsPending.Dec();
        }
    }

    internal async Task<T> ReadAsync<T>(Func<ApplyView, IMessage> read, bool serializable, CancellationToken ct) where T : class, IMessage
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
    internal DateTimeOffset ProposalDeadlineOf(DateTimeOffset proposedAt, DateTime? clientDeadline)
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
    internal async Task<IMessage> WaitForProposalAsync(Task<IMessage> task, DateTimeOffset proposedAt, DateTimeOffset deadline, CancellationToken ct)
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
}
