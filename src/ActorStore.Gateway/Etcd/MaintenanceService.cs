using ActorStore.Server;
using Etcdserverpb;
using Grpc.Core;

namespace ActorStore.Gateway.Etcd;

/// <summary>etcd's Maintenance service; Defragment and Downgrade-era methods are not built yet.</summary>
public sealed class MaintenanceService(EtcdMember member) : Maintenance.MaintenanceBase
{
    public override Task<StatusResponse> Status(StatusRequest request, ServerCallContext context) =>
        member.StatusAsync(context.CancellationToken);

    public override Task<HashResponse> Hash(HashRequest request, ServerCallContext context) =>
        member.HashAsync(context.CancellationToken);

    public override Task<HashKVResponse> HashKV(HashKVRequest request, ServerCallContext context) =>
        member.HashKVAsync(request, context.CancellationToken);

    public override Task Snapshot(SnapshotRequest request, IServerStreamWriter<SnapshotResponse> responseStream, ServerCallContext context) =>
        member.SnapshotAsync(response => responseStream.WriteAsync(response, context.CancellationToken), context.CancellationToken);

    public override Task<AlarmResponse> Alarm(AlarmRequest request, ServerCallContext context) =>
        member.AlarmAsync(request, context.CancellationToken);

    public override Task<MoveLeaderResponse> MoveLeader(MoveLeaderRequest request, ServerCallContext context) =>
        member.MoveLeaderAsync(request, context.CancellationToken);
}
