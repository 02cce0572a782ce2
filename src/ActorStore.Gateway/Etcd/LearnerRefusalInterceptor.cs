using ActorStore.Gateway.Grpc;
using ActorStore.Server;
using Grpc.Core;

namespace ActorStore.Gateway.Etcd;

/// <summary>
/// A learner refuses the Watch, Lock and Election services before they start, as etcd's interceptor does; KV and Lease
/// requests are refused by the member itself, which knows which of them a learner may serve.
/// </summary>
public sealed class LearnerRefusalInterceptor(EtcdMember member) : CallInterceptor
{
    private static readonly string[] RefusedServices = ["/etcdserverpb.Watch/", "/v3lockpb.Lock/", "/v3electionpb.Election/"];

    protected override Task<T> InterceptAsync<T>(ServerCallContext context, Func<ServerCallContext, Task<T>> call)
    {
        if (RefusedServices.Any(service => context.Method.StartsWith(service, StringComparison.Ordinal)))
        {
            member.RefuseOnLearner();
        }

        return call(context);
    }
}
