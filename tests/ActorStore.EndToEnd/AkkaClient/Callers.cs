using ActorStore.Client;
using Akka.Actor;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using V3electionpb;
using V3lockpb;

namespace ActorStore.EndToEnd.AkkaClient;

/// <summary>The two ways a request reaches the store in these tests: etcd's gRPC API, and actor messages.</summary>
public static class Callers
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static Func<IMessage, Task<RequestScenario.Answer>> Grpc(GrpcChannel channel, Grpc.Core.Metadata? headers = null)
    {
        var kv = new KV.KVClient(channel);
        var leases = new Etcdserverpb.Lease.LeaseClient(channel);
        var locks = new V3lockpb.Lock.LockClient(channel);
        var elections = new Election.ElectionClient(channel);
        var maintenance = new Maintenance.MaintenanceClient(channel);
        var cluster = new Etcdserverpb.Cluster.ClusterClient(channel);
        return async request =>
        {
            var options = new CallOptions(headers, DateTime.UtcNow + Timeout);
            try
            {
                IMessage response = request switch
                {
                    RangeRequest r => await kv.RangeAsync(r, options),
                    PutRequest r => await kv.PutAsync(r, options),
                    DeleteRangeRequest r => await kv.DeleteRangeAsync(r, options),
                    TxnRequest r => await kv.TxnAsync(r, options),
                    CompactionRequest r => await kv.CompactAsync(r, options),
                    LeaseGrantRequest r => await leases.LeaseGrantAsync(r, options),
                    LeaseRevokeRequest r => await leases.LeaseRevokeAsync(r, options),
                    LeaseTimeToLiveRequest r => await leases.LeaseTimeToLiveAsync(r, options),
                    LeaseLeasesRequest r => await leases.LeaseLeasesAsync(r, options),
                    LeaseKeepAliveRequest r => await KeepAliveOnceAsync(leases, r, options),
                    LockRequest r => await locks.LockAsync(r, options),
                    UnlockRequest r => await locks.UnlockAsync(r, options),
                    CampaignRequest r => await elections.CampaignAsync(r, options),
                    ProclaimRequest r => await elections.ProclaimAsync(r, options),
                    LeaderRequest r => await elections.LeaderAsync(r, options),
                    ResignRequest r => await elections.ResignAsync(r, options),
                    StatusRequest r => await maintenance.StatusAsync(r, options),
                    MemberListRequest r => await cluster.MemberListAsync(r, options),
                    _ => throw new ArgumentException($"no gRPC call for {request.GetType().Name}"),
                };
                return new RequestScenario.Answer(response);
            }
            catch (Grpc.Core.RpcException e)
            {
                return new RequestScenario.Answer(null, (int)e.StatusCode, e.Status.Detail);
            }
        };
    }

    /// <summary>Messages to the client actor, as a program would Ask it.</summary>
    public static Func<IMessage, Task<RequestScenario.Answer>> Actor(ActorStoreClient client) => async request =>
    {
        try
        {
            var answer = await client.Ref.Ask<object>(request, Timeout);
            return answer switch
            {
                IMessage response => new RequestScenario.Answer(response),
                Akka.Actor.Status.Failure { Cause: ActorStore.Protocol.Errors.RpcException e } => new RequestScenario.Answer(null, (int)e.Status, e.Message),
                _ => throw new InvalidOperationException($"the client actor answered {answer}"),
            };
        }
        catch (ActorStore.Protocol.Errors.RpcException e)
        {
            return new RequestScenario.Answer(null, (int)e.Status, e.Message);
        }
    };

    private static async Task<LeaseKeepAliveResponse> KeepAliveOnceAsync(Etcdserverpb.Lease.LeaseClient leases, LeaseKeepAliveRequest request, CallOptions options)
    {
        using var call = leases.LeaseKeepAlive(options);
        await call.RequestStream.WriteAsync(request);
        if (!await call.ResponseStream.MoveNext(options.CancellationToken))
        {
            throw new InvalidOperationException("the keep-alive stream ended without an answer");
        }
        var response = call.ResponseStream.Current;
        await call.RequestStream.CompleteAsync();
        return response;
    }
}
