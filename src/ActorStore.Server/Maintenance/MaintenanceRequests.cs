using ActorStore.Protocol.Errors;
using ActorStore.Raft.Shell;
using ActorStore.Server.Apply;
using ActorStore.Server.Backup;
using ActorStore.Server.Defrag;
using ActorStore.Server.Membership;
using ActorStore.Server.Quota;
using Akka.Actor;
using Etcdserverpb;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace ActorStore.Server.Maintenance;

/// <summary>
/// etcd's maintenance requests on a member: status, hashes, alarms, leader transfer, and the health check that
/// /health answers from.
/// </summary>
internal sealed class MaintenanceRequests(
    EtcdMember member, MemberOptions options, BackendSizeBoard backendSize, IActorRef raft, IActorRef apply, MembershipRequests membership, ILogger logger)
{
    private static readonly ByteString HealthKey = ByteString.CopyFromUtf8("health");

    public Task<HashResponse> HashAsync(CancellationToken ct)
    {
        member.RefuseOnLearner();
        return member.ReadAsync<HashResponse>(view => view.Kv.Hash(), serializable: true, ct);
    }

    public Task<HashKVResponse> HashKVAsync(HashKVRequest request, CancellationToken ct)
    {
        member.RefuseOnLearner();
        return member.ReadAsync<HashKVResponse>(view => view.Kv.HashKV(request), serializable: true, ct);
    }

    /// <summary>Streams a snapshot of this member's backend as of now (etcd serves it from the local backend, no read index).</summary>
    public async Task SnapshotAsync(Func<SnapshotResponse, Task> send, CancellationToken ct)
    {
        EtcdBackendImage? image = null;
        await member.ReadAsync<ResponseHeader>(view =>
        {
            image = EtcdBackendImage.Capture(view);
            return new ResponseHeader();
        }, serializable: true, ct).ConfigureAwait(false);
        await SnapshotStreamer.StreamAsync(image!, SnapshotScratch.DirectoryOf(options.DataDir), send, logger, ct).ConfigureAwait(false);
    }

    public Task<StatusResponse> StatusAsync(CancellationToken ct)
    {
        var raftState = member.Raft;
        return member.ReadAsync<StatusResponse>(view => new StatusResponse
        {
            Header = new ResponseHeader { Revision = view.Store.CurrentRevision },
            Version = EtcdVersions.Server,
            DbSize = backendSize.Total,
            DbSizeInUse = backendSize.InUse,
            Leader = raftState.Leader,
            RaftIndex = raftState.CommitIndex,
            RaftTerm = raftState.Term,
            RaftAppliedIndex = view.AppliedIndex,
            IsLearner = view.Membership.Find(member.Identity.MemberId)?.IsLearner ?? false,
        }, serializable: true, ct);
    }

    /// <summary>
    /// etcd's Defragment, of this member only, without stopping writes: the apply actor takes a snapshot between two
    /// batches (the journal before it is then dropped) and the size figure gives back what compactions freed.
    /// </summary>
    public async Task<DefragmentResponse> DefragmentAsync(CancellationToken ct)
    {
        var path = Path.Combine(options.DataDir, "member");
        var (size, inUse) = (backendSize.Total, backendSize.InUse);
        logger.LogInformation("defragmenting {path} {current-db-size-bytes} {current-db-size-in-use-bytes}", path, size, inUse);
        var completion = new TaskCompletionSource<IMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        apply.Tell(new DefragmentBackend(completion));
        var response = (DefragmentResponse)await completion.Task.WaitAsync(options.RequestTimeout, ct).ConfigureAwait(false);
        logger.LogInformation(
            "defragmented {path} {current-db-size-bytes-diff} {current-db-size-bytes} {current-db-size-in-use-bytes-diff} {current-db-size-in-use-bytes}",
            path, backendSize.Total - size, backendSize.Total, backendSize.InUse - inUse, backendSize.InUse);
        return response;
    }

    /// <summary>
    /// etcd's MoveLeader: only the leader hands over, only to a voting member, and the answer waits until the target
    /// leads (or the transfer takes too long).
    /// </summary>
    public async Task<MoveLeaderResponse> MoveLeaderAsync(MoveLeaderRequest request, CancellationToken ct)
    {
        member.RefuseOnLearner();
        if (member.Raft.Leader != member.Identity.MemberId)
        {
            throw EtcdErrors.NotLeader;
        }
        var members = await membership.ReadMemberListAsync(ct).ConfigureAwait(false);
        if (members.Members.FirstOrDefault(m => m.ID == request.TargetID) is not { IsLearner: false })
        {
            throw EtcdErrors.BadLeaderTransferee;
        }
        logger.LogInformation("leadership transfer starting from {current-leader-member-id} to {transferee-member-id}",
            MemberIdentity.FormatId(member.Identity.MemberId), MemberIdentity.FormatId(request.TargetID));
        raft.Tell(new TransferLeadership(request.TargetID));
        var deadline = DateTime.UtcNow + options.RequestTimeout;
        while (member.Raft.Leader != request.TargetID)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new RpcException(StatusCode.Unknown, "etcdserver: request timed out, leader transfer took too long");
            }
            await Task.Delay(options.HeartbeatInterval, ct).ConfigureAwait(false);
        }
        return await member.ReadAsync<MoveLeaderResponse>(
            view => new MoveLeaderResponse { Header = new ResponseHeader { Revision = view.Store.CurrentRevision } },
            serializable: true, ct).ConfigureAwait(false);
    }

    /// <summary>Alarm list answers from the local member list; raising and disarming go through the log.</summary>
    public Task<AlarmResponse> AlarmAsync(AlarmRequest request, CancellationToken ct)
    {
        member.RefuseOnLearner();
        return request.Action == AlarmRequest.Types.AlarmAction.Get
            ? member.ReadAsync<AlarmResponse>(view => ApplyActor.ApplyAlarm(request, view.Membership), serializable: true, ct)
            : member.ProposeAsync<AlarmResponse>(new InternalRaftRequest { Alarm = request }, ct);
    }

    /// <summary>The alarms raised in the cluster, read locally (a learner answers too, as etcd's /health reads them).</summary>
    public Task<AlarmResponse> ActiveAlarmsAsync(CancellationToken ct) =>
        member.ReadAsync<AlarmResponse>(
            view => ApplyActor.ApplyAlarm(new AlarmRequest { Action = AlarmRequest.Types.AlarmAction.Get }, view.Membership),
            serializable: true, ct);

    /// <summary>etcd's health check: the member knows a leader and can serve a read within a second.</summary>
    public async Task<bool> IsHealthyAsync(CancellationToken ct)
    {
        if (member.Raft.Leader == 0)
        {
            return false;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            await member.ReadAsync<RangeResponse>(
                view => view.Kv.Range(new RangeRequest { Key = HealthKey }), serializable: false, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is OperationCanceledException or RpcException)
        {
            return false;
        }
    }
}
