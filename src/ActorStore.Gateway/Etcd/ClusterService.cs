using ActorStore.Server;
using Etcdserverpb;
using Grpc.Core;

namespace ActorStore.Gateway.Etcd;

/// <summary>etcd's Cluster service: membership changes (root only when auth is on) through the member's membership actor.</summary>
public sealed class ClusterService(EtcdMember member) : Cluster.ClusterBase
{
    public override async Task<MemberAddResponse> MemberAdd(MemberAddRequest request, ServerCallContext context)
    {
        await AdminCheck.RequireRootAsync(context, member).ConfigureAwait(false);
        return await member.MemberAddAsync(request, context.CancellationToken).ConfigureAwait(false);
    }

    public override async Task<MemberRemoveResponse> MemberRemove(MemberRemoveRequest request, ServerCallContext context)
    {
        await AdminCheck.RequireRootAsync(context, member).ConfigureAwait(false);
        return await member.MemberRemoveAsync(request, context.CancellationToken).ConfigureAwait(false);
    }

    public override async Task<MemberUpdateResponse> MemberUpdate(MemberUpdateRequest request, ServerCallContext context)
    {
        await AdminCheck.RequireRootAsync(context, member).ConfigureAwait(false);
        return await member.MemberUpdateAsync(request, context.CancellationToken).ConfigureAwait(false);
    }

    public override Task<MemberListResponse> MemberList(MemberListRequest request, ServerCallContext context) =>
        member.MemberListAsync(context.CancellationToken);

    public override async Task<MemberPromoteResponse> MemberPromote(MemberPromoteRequest request, ServerCallContext context)
    {
        await AdminCheck.RequireRootAsync(context, member).ConfigureAwait(false);
        return await member.MemberPromoteAsync(request, context.CancellationToken).ConfigureAwait(false);
    }
}
