using ActorStore.Server;
using Grpc.Core;
using V3electionpb;

namespace ActorStore.Gateway.Etcd;

/// <summary>
/// etcd's v3election service, answered by the member's election actors (a learner refuses it). With auth on, the
/// caller must be able to read an election's keys, and write them to campaign, proclaim or resign (the checks:
/// <see cref="Server.Concurrency.CheckedConcurrency"/>).
/// </summary>
public sealed class ElectionService(EtcdMember member) : Election.ElectionBase
{
    public override Task<CampaignResponse> Campaign(CampaignRequest request, ServerCallContext context) =>
        member.CheckedConcurrency.CampaignAsync(request, () => context.CallerAsync(member), context.CancellationToken);

    public override Task<ProclaimResponse> Proclaim(ProclaimRequest request, ServerCallContext context) =>
        member.CheckedConcurrency.ProclaimAsync(request, () => context.CallerAsync(member), context.CancellationToken);

    public override Task<LeaderResponse> Leader(LeaderRequest request, ServerCallContext context) =>
        member.CheckedConcurrency.LeaderAsync(request, () => context.CallerAsync(member), context.CancellationToken);

    public override async Task Observe(LeaderRequest request, IServerStreamWriter<LeaderResponse> responseStream, ServerCallContext context)
    {
        var leaders = await member.CheckedConcurrency.ObserveAsync(request, () => context.CallerAsync(member), context.CancellationToken).ConfigureAwait(false);
        await foreach (var leader in leaders.ConfigureAwait(false))
        {
            await responseStream.WriteAsync(leader, context.CancellationToken).ConfigureAwait(false);
        }
    }

    public override Task<ResignResponse> Resign(ResignRequest request, ServerCallContext context) =>
        member.CheckedConcurrency.ResignAsync(request, () => context.CallerAsync(member), context.CancellationToken);
}
