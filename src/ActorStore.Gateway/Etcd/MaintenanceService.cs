using ActorStore.Server;
using Etcdserverpb;
using Grpc.Core;

namespace ActorStore.Gateway.Etcd;

/// <summary>etcd's Maintenance service; Downgrade-era methods are not built yet.</summary>
public sealed class MaintenanceService(EtcdMember member) : Maintenance.MaintenanceBase
{
    public override Task<StatusResponse> Status(StatusRequest request, ServerCallContext context) =>
        member.StatusAsync(context.CancellationToken);

    // etcd 3.4 lets only root hash (and defragment and snapshot); Status, Alarm and MoveLeader are open to all.
    public override async Task<HashResponse> Hash(HashRequest request, ServerCallContext context)
    {
        await AdminCheck.RequireRootForMaintenanceAsync(context, member).ConfigureAwait(false);
        return await member.HashAsync(context.CancellationToken).ConfigureAwait(false);
    }

    public override async Task<HashKVResponse> HashKV(HashKVRequest request, ServerCallContext context)
    {
        await AdminCheck.RequireRootForMaintenanceAsync(context, member).ConfigureAwait(false);
        return await member.HashKVAsync(request, context.CancellationToken).ConfigureAwait(false);
    }

    public override async Task Snapshot(SnapshotRequest request, IServerStreamWriter<SnapshotResponse> responseStream, ServerCallContext context)
    {
        await AdminCheck.RequireRootForMaintenanceAsync(context, member).ConfigureAwait(false);
        await member.SnapshotAsync(response => responseStream.WriteAsync(response, context.CancellationToken), context.CancellationToken).ConfigureAwait(false);
    }

    public override async Task<DefragmentResponse> Defragment(DefragmentRequest request, ServerCallContext context)
    {
        await AdminCheck.RequireRootForMaintenanceAsync(context, member).ConfigureAwait(false);
        return await member.DefragmentAsync(context.CancellationToken).ConfigureAwait(false);
    }

    public override Task<AlarmResponse> Alarm(AlarmRequest request, ServerCallContext context) =>
        member.AlarmAsync(request, context.CancellationToken);

    public override Task<MoveLeaderResponse> MoveLeader(MoveLeaderRequest request, ServerCallContext context) =>
        member.MoveLeaderAsync(request, context.CancellationToken);
}
