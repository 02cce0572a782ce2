using ActorStore.Server;
using Grpc.Core;
using V3lockpb;

namespace ActorStore.Gateway.Etcd;

/// <summary>
/// etcd's v3lock service, answered by the member's lock actors (a learner refuses it: LearnerRefusalInterceptor).
/// With auth on, the caller must be able to read and write the lock's keys; unlocking deletes the caller's key
/// (the checks: <see cref="Server.Concurrency.CheckedConcurrency"/>).
/// </summary>
public sealed class LockService(EtcdMember member) : V3lockpb.Lock.LockBase
{
    public override Task<LockResponse> Lock(LockRequest request, ServerCallContext context) =>
        member.CheckedConcurrency.LockAsync(request, () => context.CallerAsync(member), context.CancellationToken);

    public override Task<UnlockResponse> Unlock(UnlockRequest request, ServerCallContext context) =>
        member.CheckedConcurrency.UnlockAsync(request, () => context.CallerAsync(member), context.CancellationToken);
}
