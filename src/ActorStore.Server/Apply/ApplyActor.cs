using System.Diagnostics;
using Akka.Actor;
using ActorStore.Mvcc;
using ActorStore.Protocol.Errors;
using ActorStore.Raft.Shell;
using ActorStore.Server.Auth;
using ActorStore.Server.Corruption;
using ActorStore.Server.Defrag;
using ActorStore.Server.Kv;
using ActorStore.Server.Lease;
using ActorStore.Server.Membership;
using ActorStore.Server.Metrics;
using ActorStore.Server.V2;
using ActorStore.Server.Quota;
using ActorStore.Server.Watch;
using Etcdserverpb;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Raftpb;

namespace ActorStore.Server.Apply;

/// <summary>
/// The single writer of the state machine (keyspace and member list): applies committed entries in log order,
/// answers the requests this member proposed when their entries come by, serves reads (linearizable ones once the
/// confirmed read index is applied), and every <c>snapshot-count</c> entries hands a snapshot to the Raft member. A
/// snapshot is captured between two applied batches and encoded off the actor, one at a time, so applying goes on meanwhile.
/// </summary>
public sealed class ApplyActor : ReceiveActor
{
    /// <summary>etcd's warnApplyDuration: an entry applied slower than this counts as a slow apply.</summary>
    private static readonly TimeSpan SlowApplyThreshold = TimeSpan.FromMilliseconds(100);

    private readonly MemberMetrics? _metrics;
    private readonly BackendSizeBoard? _backendSize;
    private readonly DataDivergence? _divergence;
    private RequestApplier _applier;
    private readonly MemberOptions _options;
    private readonly ILogger _log;
    private readonly Action<ulong> _memberRemoved;
    private readonly Action<ClusterMembership> _membershipChanged;
    private readonly Dictionary<ulong, TaskCompletionSource<IMessage>> _waiters = new();
    private readonly PriorityQueue<Query, ulong> _pendingReads = new();
    private readonly IActorRef _watchHub;
    private readonly IActorRef _lessor;
    private readonly RevisionBoard _revision;
    private readonly long _minLeaseTtl;
    private readonly ITokenProvider _tokens;
    private readonly AuthStateBoard _authBoard;
    private LeaseTable _leases;
    private MvccStore _store;
    private V2Store _v2;
    private KvApplier _kv;
    private ClusterMembership _membership;
    private IActorRef? _raft;
    private ulong _appliedIndex;
    private readonly Func<StateMachineImage, Task<ByteString>> _encodeSnapshot;
    // The index of the last snapshot captured (counted from for snapshot-count) and of the last one handed to Raft.
    private ulong _snapshotIndex;
    private ulong _handedSnapshotIndex;
    private bool _encodingSnapshot;
    // Changes when an installed snapshot replaces the state machine: a snapshot still encoding the old one is then dropped.
    private int _stateEpoch;
    private readonly List<(ulong Index, DefragmentBackend Request)> _defragmentsWaiting = new();

    public ApplyActor(
        MvccStore store, V2Store v2, ClusterMembership membership, LeaseTable leases, AuthStore auth, ulong appliedIndex, HeaderStamp stamp, MemberOptions options,
        IActorRef watchHub, IActorRef lessor, RevisionBoard revision, ITokenProvider tokens, AuthStateBoard authBoard,
        Action<ulong> memberRemoved, Action<ClusterMembership> membershipChanged, ILogger log, MemberMetrics? metrics = null,
        BackendSizeBoard? backendSize = null, Func<StateMachineImage, Task<ByteString>>? encodeSnapshot = null)
    {
        _encodeSnapshot = encodeSnapshot ?? (static image => Task.Run(image.Encode));
        _metrics = metrics;
        _backendSize = backendSize;
        _divergence = DataDivergence.From(options);
        _tokens = tokens;
        _authBoard = authBoard;
        _watchHub = watchHub;
        _lessor = lessor;
        _revision = revision;
        _leases = leases;
        _minLeaseTtl = LeaseApplier.MinTtlFor(options.HeartbeatInterval, options.ElectionTicks);
        _memberRemoved = memberRemoved;
        _membershipChanged = membershipChanged;
        _store = store;
        _v2 = v2;
        _membership = membership;
        _kv = new KvApplier(store, LeaseExists, metrics);
        _applier = NewApplier(store, leases, auth, stamp);
        _appliedIndex = appliedIndex;
        _snapshotIndex = appliedIndex;
        _handedSnapshotIndex = appliedIndex;
        _options = options;
        _log = log;

        Receive<AwaitResult>(wait => _waiters[wait.RequestId] = wait.Completion);
        Receive<ForgetWaiter>(forget => _waiters.Remove(forget.RequestId));
        Receive<RaftCommitted>(OnCommitted);
        Receive<RaftSnapshotInstalled>(OnSnapshotInstalled);
        Receive<RaftTermChanged>(changed => _applier.Stamp = _applier.Stamp with { RaftTerm = changed.Term });
        Receive<IdentityLearned>(learned => _applier.Stamp = _applier.Stamp with { ClusterId = learned.ClusterId, MemberId = learned.MemberId });
        Receive<Query>(Run);
        // A peer starting from an empty data dir asks whether it is already a started member (etcd's bootstrap check).
        Receive<MemberListRequest>(_ => Sender.Tell(_applier.StampHeader(MemberList(_membership)), Self));
        Receive<QueryAt>(OnQueryAt);
        Receive<DefragmentBackend>(OnDefragment);
        Receive<SnapshotEncoded>(OnSnapshotEncoded);
        Receive<SnapshotEncodingFailed>(OnSnapshotEncodingFailed);
        Receive<HashKVRequest>(OnPeerHashKV);
    }

    protected override void PreStart()
    {
        Attach(_store, _leases);
        _authBoard.Publish(_applier.Auth);
        PublishBackendSize();
    }

    /// <summary>What the keyspace's retained revisions and the leases take, by etcd's quota accounting.</summary>
    private void PublishBackendSize() =>
        _backendSize?.Observe(_store.StoredBytes + (long)_leases.Count * BackendQuota.LeaseOverheadBytes);

    private bool LeaseExists(long id) => _leases.Contains(id);

    private RequestApplier NewApplier(MvccStore store, LeaseTable leases, AuthStore auth, HeaderStamp stamp) =>
        new(_kv, new LeaseApplier(store, leases, _minLeaseTtl), new AuthApplier(auth, _tokens, () => _store.CurrentRevision), stamp);

    /// <summary>
    /// Leases follow their keys as each write commits; the watch hub hears of every change set in commit order, right
    /// after the keyspace took it; the lessor learns which leases exist.
    /// </summary>
    private void Attach(MvccStore store, LeaseTable leases)
    {
        _revision.Publish(store.CurrentRevision);
        _watchHub.Tell(new StoreReset(store.CurrentRevision, store.CompactRevision), Self);
        store.Committed += changes =>
        {
            _revision.Publish(changes.Revision);
            leases.Track(changes);
            _watchHub.Tell(changes, Self);
        };
        _lessor.Tell(new LeasesReset(leases.Leases.Select(lease => (lease.Id, lease.Ttl)).ToArray()), Self);
    }

    protected override void PostStop()
    {
        foreach (var waiter in _waiters.Values)
        {
            waiter.TrySetException(EtcdErrors.Stopped);
        }
        while (_pendingReads.TryDequeue(out var query, out _))
        {
            query.Completion.TrySetException(EtcdErrors.Stopped);
        }
        foreach (var (_, defragment) in _defragmentsWaiting)
        {
            defragment.Completion.TrySetException(EtcdErrors.Stopped);
        }
    }

    private void OnCommitted(RaftCommitted committed)
    {
        _raft = Sender;
        var batchStarted = Stopwatch.GetTimestamp();
        foreach (var entry in committed.Entries)
        {
            if (entry.Index <= _appliedIndex)
            {
                continue;
            }
            if (entry.Type == EntryType.EntryConfChange)
            {
                ApplyMembershipChange(ConfChange.Parser.ParseFrom(entry.Data));
            }
            else if (!entry.Data.IsEmpty)
            {
                ApplyRequest(InternalRaftRequest.Parser.ParseFrom(entry.Data.Span), entry.Index);
            }
            else
            {
                _lessor.Tell(new LeaderEntryApplied(entry.Term), Self);
            }
            _appliedIndex = entry.Index;
        }
        if (_metrics is { } metrics)
        {
            // The store's commit of a batch of entries is what etcd's backend commit stands for here.
            metrics.BackendCommitDuration.Observe(Stopwatch.GetElapsedTime(batchStarted).TotalSeconds);
            metrics.ProposalsApplied.Set(_appliedIndex);
            metrics.Keys.Set(_store.IndexedKeyCount);
        }
        PublishBackendSize();
        ServeReadsUpTo(_appliedIndex);
        MaybeSnapshot();
    }

    private void ApplyRequest(InternalRaftRequest request, ulong index)
    {
        if (_divergence is not null)
        {
            request = _divergence.Apply(request);
        }
        var id = request.Header?.ID ?? 0;
        _waiters.Remove(id, out var waiter);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response =
                request.V2 is { } v2 ? (V2Applier.IsKeysRequest(v2) ? V2Applier.Apply(_v2, v2) : ApplyMemberAttributes(v2))
                : request.Alarm is { } alarm ? _applier.StampHeader(ApplyAlarm(alarm, _membership))
                : _applier.Apply(RefuseUnderAlarm(request), index);
            if (response is LeaseGrantResponse granted)
            {
                _metrics?.LeasesGranted.Inc();
                _lessor.Tell(new LeaseGranted(granted.ID, granted.TTL), Self);
            }
            else if (request.LeaseRevoke is { } revoked)
            {
                _lessor.Tell(new LeaseRevoked(revoked.ID), Self);
            }
            PublishAuthChange(request);
            // Before the caller hears back, so that its next write is checked against the size this one left.
            PublishBackendSize();
            waiter?.TrySetResult(response);
        }
        catch (RpcException e)
        {
            // A refused request still takes its log index, on every member alike.
            PublishAuthChange(request);
            waiter?.TrySetException(e);
        }
        if (_metrics is not null && Stopwatch.GetElapsedTime(started) > SlowApplyThreshold)
        {
            _metrics.SlowApply.Inc();
        }
    }

    /// <summary>Before the caller hears back, so that its next request is stamped with the new auth revision.</summary>
    private void PublishAuthChange(InternalRaftRequest request)
    {
        if (AuthApplier.Handles(request))
        {
            _authBoard.Publish(_applier.Auth);
        }
    }

    /// <summary>
    /// With CORRUPT raised every request fails, with NOSPACE raised writes that add data and lease grants fail, as etcd's appliers do.
    /// </summary>
    private InternalRaftRequest RefuseUnderAlarm(InternalRaftRequest request)
    {
        if (_membership.HasAlarm((int)AlarmType.Corrupt))
        {
            throw EtcdErrors.Corrupt;
        }
        if (_membership.HasAlarm((int)AlarmType.Nospace)
            && (request.Put is not null || request.LeaseGrant is not null || request.Txn is { } txn && AddsData(txn)))
        {
            throw EtcdErrors.NoSpace;
        }
        return request;
    }

    private static bool AddsData(TxnRequest txn) =>
        txn.Success.Concat(txn.Failure).Any(op => op.RequestCase switch
        {
            RequestOp.RequestOneofCase.RequestPut => true,
            RequestOp.RequestOneofCase.RequestTxn => AddsData(op.RequestTxn),
            _ => false,
        });

    /// <summary>Maintenance.Alarm: GET lists, ACTIVATE and DEACTIVATE answer with the alarm they changed.</summary>
    public static AlarmResponse ApplyAlarm(AlarmRequest request, ClusterMembership membership)
    {
        var response = new AlarmResponse { Header = new ResponseHeader() };
        switch (request.Action)
        {
            case AlarmRequest.Types.AlarmAction.Get:
                foreach (var (memberId, alarm) in membership.Alarms((int)request.Alarm))
                {
                    response.Alarms.Add(new AlarmMember { MemberID = memberId, Alarm = (AlarmType)alarm });
                }
                break;
            case AlarmRequest.Types.AlarmAction.Activate:
                if (membership.ActivateAlarm(request.MemberID, (int)request.Alarm))
                {
                    response.Alarms.Add(new AlarmMember { MemberID = request.MemberID, Alarm = request.Alarm });
                }
                break;
            case AlarmRequest.Types.AlarmAction.Deactivate:
                if (membership.DeactivateAlarm(request.MemberID, (int)request.Alarm))
                {
                    response.Alarms.Add(new AlarmMember { MemberID = request.MemberID, Alarm = request.Alarm });
                }
                break;
        }
        return response;
    }

    /// <summary>etcd publishes a member's name and client URLs as a v2 PUT of /0/members/&lt;id&gt;/attributes.</summary>
    private IMessage ApplyMemberAttributes(Etcdserverpb.Request request)
    {
        var parts = request.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (request.Method == "PUT" && parts.Length == 4 && parts[0] == "0" && parts[1] == "members" && parts[3] == "attributes"
            && ulong.TryParse(parts[2], System.Globalization.NumberStyles.HexNumber, null, out var memberId))
        {
            var attributes = System.Text.Json.JsonDocument.Parse(request.Val).RootElement;
            var name = attributes.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
            var clientUrls = attributes.TryGetProperty("clientURLs", out var urls)
                ? urls.EnumerateArray().Select(u => u.GetString() ?? "").ToArray()
                : [];
            _membership.SetAttributes(memberId, name, clientUrls);
        }
        return new EmptyResponse();
    }

    private void ApplyMembershipChange(ConfChange change)
    {
        _waiters.Remove(change.Id, out var waiter);
        var effective = change;
        try
        {
            switch (change.Type)
            {
                case ConfChangeType.ConfChangeAddNode:
                    var voter = ClusterMembership.DecodeContext(change.Context.Span);
                    if (_membership.Find(voter.Id) is { IsLearner: true })
                    {
                        _membership.Promote(voter.Id);
                    }
                    else
                    {
                        _membership.Add(voter with { IsLearner = false });
                    }
                    break;
                case ConfChangeType.ConfChangeAddLearnerNode:
                    _membership.Add(ClusterMembership.DecodeContext(change.Context.Span) with { IsLearner = true });
                    break;
                case ConfChangeType.ConfChangeRemoveNode:
                    _membership.Remove(change.NodeId);
                    _memberRemoved(change.NodeId);
                    break;
                case ConfChangeType.ConfChangeUpdateNode:
                    _membership.UpdatePeerUrls(change.NodeId, ClusterMembership.DecodeContext(change.Context.Span).PeerUrls);
                    break;
            }
            _log.LogInformation("applied membership change {change-type} of {member-id}", change.Type, change.NodeId.ToString("x"));
            waiter?.TrySetResult(new EmptyResponse());
        }
        catch (RpcException e)
        {
            // Refused by the member list: the core still has to see the entry applied, as a change of nobody.
            effective = new ConfChange { Type = change.Type, NodeId = 0 };
            waiter?.TrySetException(e);
        }
        _membershipChanged(_membership);
        _raft?.Tell(new ConfChangeApplied(effective, PeerAddresses(_membership)), Self);
    }

    private void OnSnapshotInstalled(RaftSnapshotInstalled installed)
    {
        _raft = Sender;
        var (store, membership, leases, auth) = StateMachineSnapshot.Read(installed.Snapshot.Data);
        _v2.Watchers.RemoveAll();
        _v2 = StateMachineSnapshot.ReadV2(installed.Snapshot.Data, V2Clock.NowNanos);
        _store = store;
        _leases = leases;
        Attach(store, leases);
        _membership = membership;
        _kv = new KvApplier(store, LeaseExists, _metrics);
        _applier = NewApplier(store, leases, auth, _applier.Stamp);
        _authBoard.Publish(auth);
        _appliedIndex = installed.Snapshot.Metadata.Index;
        _snapshotIndex = _appliedIndex;
        _handedSnapshotIndex = _appliedIndex;
        _stateEpoch++;
        _log.LogInformation("installed snapshot at index {snapshot-index}, revision {revision}", _appliedIndex, store.CurrentRevision);
        _membershipChanged(_membership);
        _raft.Tell(new ConfChangeApplied(new ConfChange { Type = ConfChangeType.ConfChangeUpdateNode, NodeId = 0 }, PeerAddresses(_membership)), Self);
        PublishBackendSize();
        ServeReadsUpTo(_appliedIndex);
        // The installed snapshot is the Raft member's snapshot now: it covers what a waiting defragment asked for.
        AnswerDefragmentsCovered();
    }

    private void OnQueryAt(QueryAt query)
    {
        if (query.ReadIndex <= _appliedIndex)
        {
            Run(query.Query);
        }
        else
        {
            _pendingReads.Enqueue(query.Query, query.ReadIndex);
        }
    }

    private void ServeReadsUpTo(ulong index)
    {
        while (_pendingReads.TryPeek(out var query, out var readIndex) && readIndex <= index)
        {
            _pendingReads.Dequeue();
            Run(query);
        }
    }

    private void Run(Query query)
    {
        try
        {
            var view = new ApplyView(_kv, _store, _membership, _leases, _appliedIndex, _applier.Stamp.RaftTerm, _applier.Auth, _v2);
            query.Completion.TrySetResult(_applier.StampHeader(query.Read(view)));
        }
        catch (RpcException e)
        {
            query.Completion.TrySetException(e);
        }
    }

    /// <summary>A due snapshot waits while another one is encoding; it is taken when that one is handed over.</summary>
    private void MaybeSnapshot()
    {
        if (!_encodingSnapshot && _appliedIndex - _snapshotIndex >= (ulong)_options.SnapshotCount)
        {
            StartSnapshot();
        }
    }

    /// <summary>
    /// Answers once a snapshot of what is applied now is handed to the Raft member, whose journal is then compacted as
    /// after any snapshot; writes go on meanwhile.
    /// </summary>
    private void OnDefragment(DefragmentBackend request)
    {
        if (_raft is null || _appliedIndex <= _handedSnapshotIndex)
        {
            AnswerDefragment(request);
            return;
        }
        _defragmentsWaiting.Add((_appliedIndex, request));
        if (!_encodingSnapshot)
        {
            StartSnapshot();
        }
    }

    private void AnswerDefragment(DefragmentBackend request)
    {
        _backendSize?.Defragmented();
        request.Completion.TrySetResult(_applier.StampHeader(new DefragmentResponse()));
    }

    private void AnswerDefragmentsCovered()
    {
        foreach (var (_, request) in _defragmentsWaiting.Where(waiting => waiting.Index <= _handedSnapshotIndex))
        {
            AnswerDefragment(request);
        }
        _defragmentsWaiting.RemoveAll(waiting => waiting.Index <= _handedSnapshotIndex);
    }

    /// <summary>A peer's corruption check; answered without a header when this member cannot hash at that revision.</summary>
    private void OnPeerHashKV(HashKVRequest request)
    {
        try
        {
            Sender.Tell(_applier.StampHeader(_kv.HashKV(request)), Self);
        }
        catch (RpcException)
        {
            Sender.Tell(new HashKVResponse(), Self);
        }
    }

    /// <summary>
    /// Captures the state machine at the applied index (cheap: record references and the small parts' bytes) and has it
    /// encoded off the actor. The Raft member hears of the capture first, so that it keeps the configuration of this
    /// index whatever membership changes are applied before the data arrives.
    /// </summary>
    private void StartSnapshot()
    {
        if (_raft is null)
        {
            return;
        }
        var index = _appliedIndex;
        var epoch = _stateEpoch;
        var image = StateMachineSnapshot.Capture(_store, _membership, _leases, _applier.Auth, _v2);
        _snapshotIndex = index;
        _encodingSnapshot = true;
        _raft.Tell(new StateSnapshotCaptured(index), Self);
        _encodeSnapshot(image).PipeTo(
            Self, Self, data => new SnapshotEncoded(index, epoch, data), cause => new SnapshotEncodingFailed(index, epoch, cause));
    }

    private void OnSnapshotEncoded(SnapshotEncoded encoded)
    {
        _encodingSnapshot = false;
        if (encoded.Epoch == _stateEpoch)
        {
            // The journal is compacted only once the Raft member has this snapshot: a crash before then loses nothing.
            _raft?.Tell(new StateSnapshotTaken(encoded.Index, encoded.Data), Self);
            _handedSnapshotIndex = encoded.Index;
        }
        AnswerDefragmentsCovered();
        TakeDeferredSnapshot();
    }

    private void OnSnapshotEncodingFailed(SnapshotEncodingFailed failed)
    {
        _encodingSnapshot = false;
        _log.LogError(failed.Cause, "failed to encode the snapshot at index {snapshot-index}", failed.Index);
        if (failed.Epoch == _stateEpoch)
        {
            // Due again: the next applied batch tries anew.
            _snapshotIndex = _handedSnapshotIndex;
        }
        foreach (var (_, request) in _defragmentsWaiting)
        {
            request.Completion.TrySetException(failed.Cause);
        }
        _defragmentsWaiting.Clear();
    }

    /// <summary>What came due while a snapshot was encoding: a defragment asked after its capture, or snapshot-count.</summary>
    private void TakeDeferredSnapshot()
    {
        if (_defragmentsWaiting.Count > 0)
        {
            StartSnapshot();
        }
        else
        {
            MaybeSnapshot();
        }
    }

    private sealed record SnapshotEncoded(ulong Index, int Epoch, ByteString Data);

    private sealed record SnapshotEncodingFailed(ulong Index, int Epoch, Exception Cause);

    /// <summary>The member list as etcd answers MemberList: ordered by id, names and client URLs once published.</summary>
    public static MemberListResponse MemberList(ClusterMembership membership)
    {
        var response = new MemberListResponse { Header = new ResponseHeader() };
        foreach (var member in membership.Members)
        {
            var listed = new Etcdserverpb.Member { ID = member.Id, Name = member.Name, IsLearner = member.IsLearner };
            listed.PeerURLs.AddRange(member.PeerUrls);
            listed.ClientURLs.AddRange(member.ClientUrls);
            response.Members.Add(listed);
        }
        return response;
    }

    /// <summary>Each member's first peer URL as host:port, where its Raft actor is reached.</summary>
    public static IReadOnlyDictionary<ulong, string> PeerAddresses(ClusterMembership membership) =>
        membership.Members
            .Where(member => member.PeerUrls.Count > 0)
            .ToDictionary(member => member.Id, member => new Uri(member.PeerUrls[0]).Authority);
}
