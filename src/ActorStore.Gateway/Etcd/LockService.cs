using ActorStore.Server;
using Grpc.Core;
using V3lockpb;

namespace ActorStore.Gateway.Etcd;

/// <summary>etcd's v3lock service, answered by the member's lock actors (a learner refuses it: LearnerRefusalInterceptor).</summary>
public sealed class LockService(EtcdMember member) : V3lockpb.Lock.LockBase
{
    public override Task<LockResponse> Lock(LockRequest request, ServerCallContext context) =>
        member.Concurrency.LockAsync(request, context.CancellationToken);

    public override Task<UnlockResponse> Unlock(UnlockRequest request, ServerCallContext context) =>
        member.Concurrency.UnlockAsync(request, context.CancellationToken);
}
