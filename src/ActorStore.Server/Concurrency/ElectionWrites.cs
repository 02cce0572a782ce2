using ActorStore.Protocol.Errors;
using Etcdserverpb;
using Google.Protobuf;

namespace ActorStore.Server.Concurrency;

/// <summary>
/// The writes on a candidate's key that Campaign, Proclaim and Resign share: each applies only while the key still
/// has the create revision the candidate joined with.
/// </summary>
internal sealed class ElectionWrites(ConcurrencyClient client)
{
    /// <summary>Sets the candidate's value; "election: not leader" once its key is gone or re-created.</summary>
    public async Task<ResponseHeader> ProclaimAsync(ByteString key, long createRevision, long lease, ByteString value, CancellationToken ct)
    {
        var proclaimed = await client.TxnAsync(new TxnRequest
        {
            Compare = { ConcurrencyKeys.CreatedAt(key, createRevision) },
            Success = { ConcurrencyKeys.Put(key, value, lease) },
        }, ct).ConfigureAwait(false);
        return proclaimed.Succeeded ? proclaimed.Header : throw ConcurrencyErrors.ElectionNotLeader;
    }

    /// <summary>
    /// A repeated campaign with a new value proclaims it. If that fails for another reason than losing the key, etcd
    /// withdraws the candidate (with the caller's token) before failing.
    /// </summary>
    public async Task ProclaimOrWithdrawAsync(ByteString key, long createRevision, long lease, ByteString value, CancellationToken ct)
    {
        try
        {
            await ProclaimAsync(key, createRevision, lease, value, ct).ConfigureAwait(false);
        }
        catch (RpcException error) when (error.Message != ConcurrencyErrors.ElectionNotLeader.Message)
        {
            await WithdrawQuietlyAsync(key, createRevision, ct).ConfigureAwait(false);
            throw;
        }
    }

    public Task<TxnResponse> WithdrawAsync(ByteString key, long createRevision, CancellationToken ct) =>
        client.TxnAsync(new TxnRequest
        {
            Compare = { ConcurrencyKeys.CreatedAt(key, createRevision) },
            Success = { ConcurrencyKeys.Delete(key) },
        }, ct);

    public async Task WithdrawQuietlyAsync(ByteString key, long createRevision, CancellationToken ct)
    {
        try
        {
            await WithdrawAsync(key, createRevision, ct).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Best effort: the caller hears about its own failure; the lease bounds a candidacy left behind.
        }
    }
}
