using ActorStore.Server;
using Google.Protobuf;
using Grpc.Core;
using V3lockpb;

namespace ActorStore.Gateway.Etcd;

/// <summary>
/// etcd's v3lock service, answered by the member's lock actors (a learner refuses it: LearnerRefusalInterceptor).
/// With auth on, the caller must be able to read and write the lock's keys; unlocking deletes the caller's key.
/// </summary>
public sealed class LockService(EtcdMember member) : V3lockpb.Lock.LockBase
{
    public override async Task<LockResponse> Lock(LockRequest request, ServerCallContext context)
    {
        if (member.Auth.State.Enabled)
        {
            var caller = await context.CallerAsync(member).ConfigureAwait(false);
            await member.Auth.CheckContendersAsync(caller, request.Name, write: true, context.CancellationToken).ConfigureAwait(false);
        }
        return await member.Concurrency.LockAsync(request, context.CancellationToken).ConfigureAwait(false);
    }

    public override async Task<UnlockResponse> Unlock(UnlockRequest request, ServerCallContext context)
    {
        if (member.Auth.State.Enabled)
        {
            var caller = await context.CallerAsync(member).ConfigureAwait(false);
            await member.Auth.CheckKeysAsync(caller, request.Key, ByteString.Empty, read: false, write: true, context.CancellationToken).ConfigureAwait(false);
        }
        return await member.Concurrency.UnlockAsync(request, context.CancellationToken).ConfigureAwait(false);
    }
}
