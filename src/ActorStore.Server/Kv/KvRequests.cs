using ActorStore.Server.Auth;
using Etcdserverpb;

namespace ActorStore.Server.Kv;

/// <summary>
/// etcd's KV requests on a member: ranges are read from the apply actor (at a confirmed read index unless
/// serializable), writes and compactions go through the log, and a txn that only reads is served like a range.
/// With auth on, reads are checked by the apply actor as it serves them, writes when their entry applies (with the
/// caller in the entry's header).
/// </summary>
internal sealed class KvRequests(EtcdMember member, MemberOptions options)
{
    public Task<RangeResponse> RangeAsync(RangeRequest request, CancellationToken ct, AuthInfo? caller)
    {
        if (!request.Serializable)
        {
            member.RefuseOnLearner();
        }
        KvRequestValidator.Validate(request);
        return member.ReadAsync<RangeResponse>(view =>
        {
            if (view.Auth.Enabled)
            {
                RequestPermissions.CheckRange(view.Auth, caller ?? AuthInfo.None, request);
            }
            return view.Kv.Range(request);
        }, request.Serializable, ct);
    }

    public Task<PutResponse> PutAsync(PutRequest request, CancellationToken ct, DateTime? deadline, AuthInfo? caller)
    {
        member.RefuseOnLearner();
        KvRequestValidator.Validate(request);
        return member.ProposeAsync<PutResponse>(new InternalRaftRequest { Put = request }.WithCaller(caller), ct, deadline);
    }

    public Task<DeleteRangeResponse> DeleteRangeAsync(DeleteRangeRequest request, CancellationToken ct, DateTime? deadline, AuthInfo? caller)
    {
        member.RefuseOnLearner();
        KvRequestValidator.Validate(request);
        return member.ProposeAsync<DeleteRangeResponse>(new InternalRaftRequest { DeleteRange = request }.WithCaller(caller), ct, deadline);
    }

    public Task<TxnResponse> TxnAsync(TxnRequest request, CancellationToken ct, DateTime? deadline, AuthInfo? caller)
    {
        member.RefuseOnLearner();
        KvRequestValidator.Validate(request, options.MaxTxnOps);
        return TxnRequests.IsReadOnly(request)
            ? member.ReadAsync<TxnResponse>(view =>
            {
                if (view.Auth.Enabled)
                {
                    RequestPermissions.CheckTxn(view.Auth, caller ?? AuthInfo.None, request);
                }
                return view.Kv.Txn(request);
            }, IsSerializable(request), ct)
            : member.ProposeAsync<TxnResponse>(new InternalRaftRequest { Txn = request }.WithCaller(caller), ct, deadline);
    }

    /// <summary>etcd 3.4 checks no permission for compaction: any caller may compact.</summary>
    public Task<CompactionResponse> CompactAsync(CompactionRequest request, CancellationToken ct, DateTime? deadline, AuthInfo? caller)
    {
        member.RefuseOnLearner();
        return member.ProposeAsync<CompactionResponse>(new InternalRaftRequest { Compaction = request }.WithCaller(caller), ct, deadline);
    }

    /// <summary>etcd serves a read-only txn locally only when every range in it asks to be serializable.</summary>
    private static bool IsSerializable(TxnRequest txn) =>
        txn.Success.Concat(txn.Failure).All(op => op.RequestRange is { Serializable: true });
}
