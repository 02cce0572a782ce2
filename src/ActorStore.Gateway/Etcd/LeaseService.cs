using ActorStore.Gateway.Grpc;
using ActorStore.Server;
using Etcdserverpb;

namespace ActorStore.Gateway.Etcd;

/// <summary>etcd's Lease service: grants and revocations go through the log, keep-alives and TTLs to the leader's lessor.</summary>
public static class LeaseService
{
    public static void Register(GrpcServiceRegistry registry, EtcdMember member)
    {
        registry.AddUnary("/etcdserverpb.Lease/LeaseGrant", LeaseGrantRequest.Parser,
            (request, call) => member.LeaseGrantAsync(request, call.CancellationToken, call.Deadline));
        registry.AddUnary("/etcdserverpb.Lease/LeaseRevoke", LeaseRevokeRequest.Parser,
            (request, call) => member.LeaseRevokeAsync(request, call.CancellationToken, call.Deadline));
        registry.AddUnary("/etcdserverpb.Lease/LeaseTimeToLive", LeaseTimeToLiveRequest.Parser,
            (request, call) => member.LeaseTimeToLiveAsync(request, call.CancellationToken));
        registry.AddUnary("/etcdserverpb.Lease/LeaseLeases", LeaseLeasesRequest.Parser,
            (_, call) => member.LeaseLeasesAsync(call.CancellationToken));
        registry.AddDuplexStreaming<LeaseKeepAliveRequest, LeaseKeepAliveResponse>("/etcdserverpb.Lease/LeaseKeepAlive", LeaseKeepAliveRequest.Parser,
            async (requests, responses, call) =>
            {
                // One keep-alive at a time per stream, answered in order, as etcd's stream does.
                while (await requests.MoveNext(call.CancellationToken).ConfigureAwait(false))
                {
                    var response = await member.LeaseRenewAsync(requests.Current.ID, call.CancellationToken).ConfigureAwait(false);
                    await responses.WriteAsync(response, call.CancellationToken).ConfigureAwait(false);
                }
            });
    }
}
