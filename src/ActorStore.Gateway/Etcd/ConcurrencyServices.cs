using ActorStore.Gateway.Grpc;
using ActorStore.Server;
using V3electionpb;
using V3lockpb;

namespace ActorStore.Gateway.Etcd;

/// <summary>etcd's v3lock (Lock, Unlock) and v3election (Campaign, Proclaim, Leader, Observe, Resign) services.</summary>
public static class ConcurrencyServices
{
    public static void Register(GrpcServiceRegistry registry, EtcdMember member)
    {
        ArgumentNullException.ThrowIfNull(registry);
        // The member's lock and election server actors answer every call.
        var concurrency = member.Concurrency;

        registry.AddUnary("/v3lockpb.Lock/Lock", LockRequest.Parser,
            (request, call) => Serve(member, () => concurrency.LockAsync(request, call.CancellationToken)));
        registry.AddUnary("/v3lockpb.Lock/Unlock", UnlockRequest.Parser,
            (request, call) => Serve(member, () => concurrency.UnlockAsync(request, call.CancellationToken)));

        registry.AddUnary("/v3electionpb.Election/Campaign", CampaignRequest.Parser,
            (request, call) => Serve(member, () => concurrency.CampaignAsync(request, call.CancellationToken)));
        registry.AddUnary("/v3electionpb.Election/Proclaim", ProclaimRequest.Parser,
            (request, call) => Serve(member, () => concurrency.ProclaimAsync(request, call.CancellationToken)));
        registry.AddUnary("/v3electionpb.Election/Leader", LeaderRequest.Parser,
            (request, call) => Serve(member, () => concurrency.LeaderAsync(request, call.CancellationToken)));
        registry.AddServerStreaming<LeaderRequest, LeaderResponse>("/v3electionpb.Election/Observe", LeaderRequest.Parser,
            async (request, stream, call) =>
            {
                member.RefuseOnLearner();
                await foreach (var leader in concurrency.ObserveAsync(request, call.CancellationToken).ConfigureAwait(false))
                {
                    await stream.WriteAsync(leader, call.CancellationToken).ConfigureAwait(false);
                }
            });
        registry.AddUnary("/v3electionpb.Election/Resign", ResignRequest.Parser,
            (request, call) => Serve(member, () => concurrency.ResignAsync(request, call.CancellationToken)));
    }

    /// <summary>A learner refuses these services before they start, as etcd's interceptor does.</summary>
    private static Task<T> Serve<T>(EtcdMember member, Func<Task<T>> call)
    {
        member.RefuseOnLearner();
        return call();
    }
}
