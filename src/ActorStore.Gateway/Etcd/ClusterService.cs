using ActorStore.Server;
using Etcdserverpb;
using Grpc.Core;

namespace ActorStore.Gateway.Etcd;

/// <summary>etcd's Cluster service: membership changes through the member's membership actor.</summary>
public sealed class ClusterService(EtcdMember member) : Cluster.ClusterBase
{
    public override Task<MemberAddResponse> MemberAdd(MemberAddRequest request, ServerCallContext context) =>
        member.MemberAddAsync(request, context.CancellationToken);

    public override Task<MemberRemoveResponse> MemberRemove(MemberRemoveRequest request, ServerCallContext context) =>
        member.MemberRemoveAsync(request, context.CancellationToken);

    public override Task<MemberUpdateResponse> MemberUpdate(MemberUpdateRequest request, ServerCallContext context) =>
        member.MemberUpdateAsync(request, context.CancellationToken);

    public override Task<MemberListResponse> MemberList(MemberListRequest request, ServerCallContext context) =>
        member.MemberListAsync(context.CancellationToken);

    public override Task<MemberPromoteResponse> MemberPromote(MemberPromoteRequest request, ServerCallContext context) =>
        member.MemberPromoteAsync(request, context.CancellationToken);
}
