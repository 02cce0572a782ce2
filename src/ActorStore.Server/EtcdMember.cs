using ActorStore.Actors;
using ActorStore.Mvcc;
using ActorStore.Persistence;
using ActorStore.Persistence.Sqlite;
using ActorStore.Protocol.Errors;
using ActorStore.Server.Apply;
using ActorStore.Server.Kv;
using ActorStore.Server.Log;
using ActorStore.Server.Membership;
using Etcdserverpb;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace ActorStore.Server;

/// <summary>
/// One ActorStore member: recovers the keyspace from its data dir, then serves etcd's KV, maintenance and cluster
/// requests by messaging its actors. Writes go log actor -> journal (fsync) -> apply actor; reads go to the apply
/// actor. The gateway and .NET programs call this type; it does no I/O of its own on the request path.
/// </summary>
public sealed class EtcdMember : IAsyncDisposable
{
    /// <summary>Until Raft runs, a single member is the leader of term 1.</summary>
    private const ulong RaftTerm = 1;

    private readonly MemberOptions _options;
    private readonly SqlitePersistence _persistence;
    private readonly ActorSystem _system;
    private readonly IActorRef _log;
    private readonly IActorRef _apply;
    private readonly RequestIdGenerator _requestIds;
    private readonly ILogger _logger;
    private int _disposed;

    private EtcdMember(
        MemberOptions options, MemberIdentity identity, SqlitePersistence persistence, ActorSystem system,
        IActorRef log, IActorRef apply, ILogger logger)
    {
        _options = options;
        Identity = identity;
        _persistence = persistence;
        _system = system;
        _log = log;
        _apply = apply;
        _logger = logger;
        _requestIds = new RequestIdGenerator(identity.MemberId, DateTimeOffset.UtcNow);
    }

    public MemberIdentity Identity { get; }

    /// <summary>The actor system the member's actors live in, for .NET programs that message them directly.</summary>
    public ActorSystem System => _system;

    public static async Task<EtcdMember> StartAsync(MemberOptions options, ILoggerFactory loggers, CancellationToken ct = default)
    {
        var logger = loggers.CreateLogger("etcdserver");
        var persistence = await SqlitePersistence.OpenAsync(options.DataDir, loggers, ct).ConfigureAwait(false);
        try
        {
            var identity = await IdentityStore.LoadOrBootstrapAsync(persistence.Journal, options, logger, ct).ConfigureAwait(false);
            var persistenceId = LogNames.LogPersistenceId(identity.MemberId);
            var recovered = await RecoverAsync(persistence, persistenceId, identity, logger, ct).ConfigureAwait(false);

            var system = ActorSystem.Create("actorstore", new ActorSystemSettings { LoggerFactory = loggers });
            var apply = system.ActorOf(
                Props.Create(() => new ApplyActor(
                    recovered.Applier, recovered.Store, persistence.Journal, persistence.SnapshotStore, persistenceId,
                    recovered.AppliedIndex, recovered.SnapshotIndex, options, loggers.CreateLogger("apply"))),
                "apply");
            var log = system.ActorOf(
                Props.Create(() => new LocalLogActor(
                    persistence.Journal, persistenceId, recovered.AppliedIndex, apply, loggers.CreateLogger("log"))),
                "log");
            logger.LogInformation(
                "member {local-member-id} ready at applied index {applied-index}, revision {revision}",
                MemberIdentity.FormatId(identity.MemberId), recovered.AppliedIndex, recovered.Store.CurrentRevision);
            return new EtcdMember(options, identity, persistence, system, log, apply, logger);
        }
        catch
        {
            await persistence.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public Task<RangeResponse> RangeAsync(RangeRequest request, CancellationToken ct = default)
    {
        KvRequestValidator.Validate(request);
        return QueryAsync<RangeResponse>(view => view.Kv.Range(request), ct);
    }

    public Task<PutResponse> PutAsync(PutRequest request, CancellationToken ct = default)
    {
        KvRequestValidator.Validate(request);
        return ProposeAsync<PutResponse>(new InternalRaftRequest { Put = request }, ct);
    }

    public Task<DeleteRangeResponse> DeleteRangeAsync(DeleteRangeRequest request, CancellationToken ct = default)
    {
        KvRequestValidator.Validate(request);
        return ProposeAsync<DeleteRangeResponse>(new InternalRaftRequest { DeleteRange = request }, ct);
    }

    public Task<TxnResponse> TxnAsync(TxnRequest request, CancellationToken ct = default)
    {
        KvRequestValidator.Validate(request, _options.MaxTxnOps);
        return IsReadOnly(request)
            ? QueryAsync<TxnResponse>(view => view.Kv.Txn(request), ct)
            : ProposeAsync<TxnResponse>(new InternalRaftRequest { Txn = request }, ct);
    }

    public Task<CompactionResponse> CompactAsync(CompactionRequest request, CancellationToken ct = default) =>
        ProposeAsync<CompactionResponse>(new InternalRaftRequest { Compaction = request }, ct);

    public Task<HashResponse> HashAsync(CancellationToken ct = default) =>
        QueryAsync<HashResponse>(view => view.Kv.Hash(), ct);

    public Task<HashKVResponse> HashKVAsync(HashKVRequest request, CancellationToken ct = default) =>
        QueryAsync<HashKVResponse>(view => view.Kv.HashKV(request), ct);

    public Task<StatusResponse> StatusAsync(CancellationToken ct = default)
    {
        var dbSize = _persistence.DatabaseSizeBytes;
        return QueryAsync<StatusResponse>(view =>
        {
            var applied = (ulong)view.AppliedIndex();
            return new StatusResponse
            {
                Header = new ResponseHeader { Revision = view.Store.CurrentRevision },
                Version = EtcdVersions.Server,
                DbSize = dbSize,
                DbSizeInUse = dbSize,
                Leader = Identity.MemberId,
                RaftIndex = applied,
                RaftTerm = RaftTerm,
                RaftAppliedIndex = applied,
            };
        }, ct);
    }

    public MemberListResponse MemberList()
    {
        var response = new MemberListResponse
        {
            Header = new ResponseHeader { ClusterId = Identity.ClusterId, MemberId = Identity.MemberId, RaftTerm = RaftTerm },
        };
        var member = new Member { ID = Identity.MemberId, Name = Identity.Name };
        member.PeerURLs.AddRange(Identity.PeerUrls);
        member.ClientURLs.AddRange(Identity.ClientUrls);
        response.Members.Add(member);
        return response;
    }

    /// <summary>etcd's health check: the member has a leader and can serve a read within a second.</summary>
    public async Task<bool> IsHealthyAsync(CancellationToken ct = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            await QueryAsync<RangeResponse>(
                view => view.Kv.Range(new RangeRequest { Key = HealthKey, Serializable = true }), timeout.Token).ConfigureAwait(false);
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
        await _system.Terminate().ConfigureAwait(false);
        await _persistence.DisposeAsync().ConfigureAwait(false);
        _logger.LogInformation("stopped member {local-member-id}", MemberIdentity.FormatId(Identity.MemberId));
    }

    private static readonly ByteString HealthKey = ByteString.CopyFromUtf8("health");

    private async Task<T> ProposeAsync<T>(InternalRaftRequest request, CancellationToken ct) where T : class, IMessage
    {
        request.Header = new RequestHeader { ID = _requestIds.Next() };
        var payload = request.ToByteArray();
        if (payload.Length > _options.MaxRequestBytes)
        {
            throw EtcdErrors.RequestTooLarge;
        }
        var completion = new TaskCompletionSource<IMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _log.Tell(new Proposal(request, payload, completion));
        return (T)await WaitAsync(completion.Task, ct).ConfigureAwait(false);
    }

    private async Task<T> QueryAsync<T>(Func<ApplyView, IMessage> read, CancellationToken ct) where T : class, IMessage
    {
        var completion = new TaskCompletionSource<IMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _apply.Tell(new Query(read, completion));
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
            throw EtcdErrors.Timeout;
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

    private static async Task<RecoveredState> RecoverAsync(
        SqlitePersistence persistence, string persistenceId, MemberIdentity identity, ILogger logger, CancellationToken ct)
    {
        var snapshot = await persistence.SnapshotStore.LoadAsync(persistenceId, new SnapshotSelectionCriteria(), ct).ConfigureAwait(false);
        MvccStore store;
        long snapshotIndex = 0;
        if (snapshot is null)
        {
            store = new MvccStore();
        }
        else
        {
            using var data = new MemoryStream(snapshot.Data, writable: false);
            store = MvccStore.ReadSnapshot(data);
            snapshotIndex = snapshot.Metadata.SequenceNr;
            logger.LogInformation("recovered keyspace from snapshot {snapshot-index}", snapshotIndex);
        }

        var applier = new RequestApplier(new KvApplier(store, _ => false), new HeaderStamp(identity.ClusterId, identity.MemberId, RaftTerm));
        var applied = snapshotIndex;
        await persistence.Journal.ReplayAsync(persistenceId, snapshotIndex + 1, long.MaxValue, long.MaxValue, entry =>
        {
            if (entry.SequenceNr != applied + 1)
            {
                throw new InvalidDataException(
                    $"journal of {persistenceId} has no entry {applied + 1} (next is {entry.SequenceNr}): the data dir is damaged");
            }
            var request = InternalRaftRequest.Parser.ParseFrom(entry.Payload.Span);
            try
            {
                applier.Apply(request);
            }
            catch (RpcException)
            {
                // The request failed the same way when it was first applied; its entry still takes its index.
            }
            applied = entry.SequenceNr;
        }, ct).ConfigureAwait(false);

        var highest = await persistence.Journal.ReadHighestSequenceNrAsync(persistenceId, ct).ConfigureAwait(false);
        if (highest > applied)
        {
            throw new InvalidDataException(
                $"journal of {persistenceId} ends at {highest} but only {applied} entries could be replayed: the data dir is damaged");
        }
        if (applied > snapshotIndex)
        {
            logger.LogInformation("replayed journal entries {first-index} to {last-index}", snapshotIndex + 1, applied);
        }
        return new RecoveredState(store, applier, applied, snapshotIndex);
    }

    private sealed record RecoveredState(MvccStore Store, RequestApplier Applier, long AppliedIndex, long SnapshotIndex);
}
