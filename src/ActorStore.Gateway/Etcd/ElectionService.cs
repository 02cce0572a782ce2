using ActorStore.Server;
using Grpc.Core;
using V3electionpb;

namespace ActorStore.Gateway.Etcd;

/// <summary>etcd's v3election service, answered by the member's election actors (a learner refuses it).</summary>
public sealed class ElectionService(EtcdMember member) : Election.ElectionBase
{
    public override Task<CampaignResponse> Campaign(CampaignRequest request, ServerCallContext context) =>
        member.Concurrency.CampaignAsync(request, context.CancellationToken);

    public override Task<ProclaimResponse> Proclaim(ProclaimRequest request, ServerCallContext context) =>
        member.Concurrency.ProclaimAsync(request, context.CancellationToken);

    public override Task<LeaderResponse> Leader(LeaderRequest request, ServerCallContext context) =>
        member.Concurrency.LeaderAsync(request, context.CancellationToken);

    public override async Task Observe(LeaderRequest request, IServerStreamWriter<LeaderResponse> responseStream, ServerCallContext context)
    {
        await foreach (var leader in member.Concurrency.ObserveAsync(request, context.CancellationToken).ConfigureAwait(false))
        {
            await responseStream.WriteAsync(leader, context.CancellationToken).ConfigureAwait(false);
        }
    }

    public override Task<ResignResponse> Resign(ResignRequest request, ServerCallContext context) =>
        member.Concurrency.ResignAsync(request, context.CancellationToken);
}
