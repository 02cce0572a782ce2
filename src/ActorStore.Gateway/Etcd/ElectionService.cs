using ActorStore.Server;
using Google.Protobuf;
using Grpc.Core;
using V3electionpb;

namespace ActorStore.Gateway.Etcd;

/// <summary>
/// etcd's v3election service, answered by the member's election actors (a learner refuses it). With auth on, the
/// caller must be able to read an election's keys, and write them to campaign, proclaim or resign.
/// </summary>
public sealed class ElectionService(EtcdMember member) : Election.ElectionBase
{
    public override async Task<CampaignResponse> Campaign(CampaignRequest request, ServerCallContext context)
    {
        await CheckElectionAsync(context, request.Name, write: true).ConfigureAwait(false);
        return await member.Concurrency.CampaignAsync(request, context.CancellationToken).ConfigureAwait(false);
    }

    public override async Task<ProclaimResponse> Proclaim(ProclaimRequest request, ServerCallContext context)
    {
        await CheckLeaderKeyAsync(context, request.Leader?.Key ?? ByteString.Empty, read: true).ConfigureAwait(false);
        return await member.Concurrency.ProclaimAsync(request, context.CancellationToken).ConfigureAwait(false);
    }

    public override async Task<LeaderResponse> Leader(LeaderRequest request, ServerCallContext context)
    {
        await CheckElectionAsync(context, request.Name, write: false).ConfigureAwait(false);
        return await member.Concurrency.LeaderAsync(request, context.CancellationToken).ConfigureAwait(false);
    }

    public override async Task Observe(LeaderRequest request, IServerStreamWriter<LeaderResponse> responseStream, ServerCallContext context)
    {
        await CheckElectionAsync(context, request.Name, write: false).ConfigureAwait(false);
        await foreach (var leader in member.Concurrency.ObserveAsync(request, context.CancellationToken).ConfigureAwait(false))
        {
            await responseStream.WriteAsync(leader, context.CancellationToken).ConfigureAwait(false);
        }
    }

    public override async Task<ResignResponse> Resign(ResignRequest request, ServerCallContext context)
    {
        await CheckLeaderKeyAsync(context, request.Leader?.Key ?? ByteString.Empty, read: false).ConfigureAwait(false);
        return await member.Concurrency.ResignAsync(request, context.CancellationToken).ConfigureAwait(false);
    }

    private async Task CheckElectionAsync(ServerCallContext context, ByteString name, bool write)
    {
        if (member.Auth.State.Enabled)
        {
            var caller = await context.CallerAsync(member).ConfigureAwait(false);
            await member.Auth.CheckContendersAsync(caller, name, write, context.CancellationToken).ConfigureAwait(false);
        }
    }

    private async Task CheckLeaderKeyAsync(ServerCallContext context, ByteString key, bool read)
    {
        if (member.Auth.State.Enabled)
        {
            var caller = await context.CallerAsync(member).ConfigureAwait(false);
            await member.Auth.CheckKeysAsync(caller, key, ByteString.Empty, read, write: true, context.CancellationToken).ConfigureAwait(false);
        }
    }
}
