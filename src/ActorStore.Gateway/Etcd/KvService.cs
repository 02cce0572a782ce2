using ActorStore.Server;
using Etcdserverpb;
using Grpc.Core;

namespace ActorStore.Gateway.Etcd;

/// <summary>etcd's KV service: reads and writes of the member's key space.</summary>
public sealed class KvService(EtcdMember member) : KV.KVBase
{
    public override Task<RangeResponse> Range(RangeRequest request, ServerCallContext context) =>
        member.RangeAsync(request, context.CancellationToken);

    public override Task<PutResponse> Put(PutRequest request, ServerCallContext context) =>
        member.PutAsync(request, context.CancellationToken, context.DeadlineOrNull());

    public override Task<DeleteRangeResponse> DeleteRange(DeleteRangeRequest request, ServerCallContext context) =>
        member.DeleteRangeAsync(request, context.CancellationToken, context.DeadlineOrNull());

    public override Task<TxnResponse> Txn(TxnRequest request, ServerCallContext context) =>
        member.TxnAsync(request, context.CancellationToken, context.DeadlineOrNull());

    public override Task<CompactionResponse> Compact(CompactionRequest request, ServerCallContext context) =>
        member.CompactAsync(request, context.CancellationToken, context.DeadlineOrNull());
}
