using ActorStore.Server;
using Etcdserverpb;
using Grpc.Core;

namespace ActorStore.Gateway.Etcd;

/// <summary>etcd's Lease service: grants and revocations go through the log, keep-alives and TTLs to the leader's lessor.</summary>
public sealed class LeaseService(EtcdMember member) : Lease.LeaseBase
{
    public override Task<LeaseGrantResponse> LeaseGrant(LeaseGrantRequest request, ServerCallContext context) =>
        member.LeaseGrantAsync(request, context.CancellationToken, context.DeadlineOrNull());

    // etcd 3.4 checks only revocations (the caller must be able to delete the lease's keys), when their entry applies.
    public override async Task<LeaseRevokeResponse> LeaseRevoke(LeaseRevokeRequest request, ServerCallContext context) =>
        await member.LeaseRevokeAsync(request, context.CancellationToken, context.DeadlineOrNull(), await context.CallerAsync(member).ConfigureAwait(false)).ConfigureAwait(false);

    public override Task<LeaseTimeToLiveResponse> LeaseTimeToLive(LeaseTimeToLiveRequest request, ServerCallContext context) =>
        member.LeaseTimeToLiveAsync(request, context.CancellationToken);

    public override Task<LeaseLeasesResponse> LeaseLeases(LeaseLeasesRequest request, ServerCallContext context) =>
        member.LeaseLeasesAsync(context.CancellationToken);

    public override async Task LeaseKeepAlive(
        IAsyncStreamReader<LeaseKeepAliveRequest> requestStream,
        IServerStreamWriter<LeaseKeepAliveResponse> responseStream,
        ServerCallContext context)
    {
        // One keep-alive at a time per stream, answered in order, as etcd's stream does.
        while (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            var response = await member.LeaseRenewAsync(requestStream.Current.ID, context.CancellationToken).ConfigureAwait(false);
            await responseStream.WriteAsync(response, context.CancellationToken).ConfigureAwait(false);
        }
    }
}
