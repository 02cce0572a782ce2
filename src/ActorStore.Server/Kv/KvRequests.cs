using Etcdserverpb;

namespace ActorStore.Server.Kv;

/// <summary>
/// etcd's KV requests on a member: ranges are read from the apply actor (at a confirmed read index unless
/// serializable), writes and compactions go through the log, and a txn that only reads is served like a range.
/// </summary>
internal sealed class KvRequests(EtcdMember member, MemberOptions options)
{
    public Task<RangeResponse> RangeAsync(RangeRequest request, CancellationToken ct)
    {
        if (!request.Serializable)
        {
            member.RefuseOnLearner();
        }
        KvRequestValidator.Validate(request);
        return member.ReadAsync<RangeResponse>(view => view.Kv.Range(request), request.Serializable, ct);
    }

    public Task<PutResponse> PutAsync(PutRequest request, CancellationToken ct, DateTime? deadline)
    {
        member.RefuseOnLearner();
        KvRequestValidator.Validate(request);
        return member.ProposeAsync<PutResponse>(new InternalRaftRequest { Put = request }, ct, deadline);
    }

    public Task<DeleteRangeResponse> DeleteRangeAsync(DeleteRangeRequest request, CancellationToken ct, DateTime? deadline)
    {
        member.RefuseOnLearner();
        KvRequestValidator.Validate(request);
        return member.ProposeAsync<DeleteRangeResponse>(new InternalRaftRequest { DeleteRange = request }, ct, deadline);
    }

    public Task<TxnResponse> TxnAsync(TxnRequest request, CancellationToken ct, DateTime? deadline)
    {
        member.RefuseOnLearner();
        KvRequestValidator.Validate(request, options.MaxTxnOps);
        return TxnRequests.IsReadOnly(request)
            ? member.ReadAsync<TxnResponse>(view => view.Kv.Txn(request), IsSerializable(request), ct)
            : member.ProposeAsync<TxnResponse>(new InternalRaftRequest { Txn = request }, ct, deadline);
    }

    public Task<CompactionResponse> CompactAsync(CompactionRequest request, CancellationToken ct, DateTime? deadline)
    {
        member.RefuseOnLearner();
        return member.ProposeAsync<CompactionResponse>(new InternalRaftRequest { Compaction = request }, ct, deadline);
    }

    /// <summary>etcd serves a read-only txn locally only when every range in it asks to be serializable.</summary>
    private static bool IsSerializable(TxnRequest txn) =>
        txn.Success.Concat(txn.Failure).All(op => op.RequestRange is { Serializable: true });
}
