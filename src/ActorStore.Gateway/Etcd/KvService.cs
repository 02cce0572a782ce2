using ActorStore.Server;
using Etcdserverpb;
using Grpc.Core;

namespace ActorStore.Gateway.Etcd;

/// <summary>etcd's KV service: reads and writes of the member's key space, as the caller (see <see cref="AuthCaller"/>).</summary>
public sealed class KvService(EtcdMember member) : KV.KVBase
{
    public override async Task<RangeResponse> Range(RangeRequest request, ServerCallContext context) =>
        await member.RangeAsync(request, context.CancellationToken, await context.CallerAsync(member).ConfigureAwait(false)).ConfigureAwait(false);

    public override async Task<PutResponse> Put(PutRequest request, ServerCallContext context) =>
        await member.PutAsync(request, context.CancellationToken, context.DeadlineOrNull(), await context.CallerAsync(member).ConfigureAwait(false)).ConfigureAwait(false);

    public override async Task<DeleteRangeResponse> DeleteRange(DeleteRangeRequest request, ServerCallContext context) =>
        await member.DeleteRangeAsync(request, context.CancellationToken, context.DeadlineOrNull(), await context.CallerAsync(member).ConfigureAwait(false)).ConfigureAwait(false);

    public override async Task<TxnResponse> Txn(TxnRequest request, ServerCallContext context) =>
        await member.TxnAsync(request, context.CancellationToken, context.DeadlineOrNull(), await context.CallerAsync(member).ConfigureAwait(false)).ConfigureAwait(false);

    public override async Task<CompactionResponse> Compact(CompactionRequest request, ServerCallContext context) =>
        await member.CompactAsync(request, context.CancellationToken, context.DeadlineOrNull(), await context.CallerAsync(member).ConfigureAwait(false)).ConfigureAwait(false);
}
