using Etcdserverpb;
using Google.Protobuf;
using V3lockpb;

namespace ActorStore.Server.Concurrency;

/// <summary>
/// etcd's v3lock service on a member. A lock named N is held by the oldest key under "N/"; each caller adds the key
/// "N/&lt;lease hex&gt;" bound to its lease and waits, through a watch, for every older key to go away. The holder's
/// key and its create revision (a fencing token) come back to the caller; Unlock deletes the key, and so does the
/// expiry or revocation of its lease.
/// </summary>
public sealed class LockServer
{
    private readonly ConcurrencyClient _client;

    public LockServer(EtcdMember member)
    {
        ArgumentNullException.ThrowIfNull(member);
        _client = new ConcurrencyClient(member);
    }

    /// <summary>
    /// Waits until the caller holds the lock. Lease 0 binds the key to a new 60 s lease that nobody keeps alive. A call
    /// canceled (or failing) while it waits removes its key, so it does not take the lock later.
    /// </summary>
    public async Task<LockResponse> LockAsync(LockRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var lease = await _client.SessionLeaseAsync(request.Lease, ct).ConfigureAwait(false);
        var prefix = ConcurrencyKeys.PrefixOf(request.Name);
        var key = ConcurrencyKeys.KeyOf(prefix, lease);
        var owner = ConcurrencyKeys.Get(ConcurrencyKeys.FirstCreated(prefix));
        // Add the key unless this lease already waits for or holds the lock; either way learn the holder in the same step.
        // The caller's token does not cut this step short: once the key may be written, only the wait below (which
        // removes it on cancellation) may end the call, so a canceled caller leaves no key behind.
        var joined = await _client.TxnAsync(new TxnRequest
        {
            Compare = { ConcurrencyKeys.CreatedAt(key, 0) },
            Success = { ConcurrencyKeys.Put(key, ByteString.Empty, lease), owner },
            Failure = { ConcurrencyKeys.Get(key), owner },
        }, CancellationToken.None).ConfigureAwait(false);
        var createRevision = joined.Succeeded
            ? joined.Header.Revision
            : joined.Responses[0].ResponseRange.Kvs[0].CreateRevision;
        var holder = joined.Responses[1].ResponseRange.Kvs;
        if (holder.Count == 0 || holder[0].CreateRevision == createRevision)
        {
            return new LockResponse { Header = joined.Header, Key = key };
        }

        ResponseHeader acquired;
        try
        {
            acquired = await _client.WaitDeletesAsync(prefix, createRevision - 1, ct).ConfigureAwait(false);
        }
        catch
        {
            await DeleteAbandonedKeyAsync(key).ConfigureAwait(false);
            throw;
        }
        return new LockResponse { Header = acquired, Key = key };
    }

    /// <summary>Deletes the lock key (whether or not it holds the lock) and answers the delete's header.</summary>
    public async Task<UnlockResponse> UnlockAsync(UnlockRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var deleted = await _client.DeleteAsync(request.Key, ct).ConfigureAwait(false);
        return new UnlockResponse { Header = deleted.Header };
    }

    /// <summary>Best effort: the caller's own failure is what it hears about, and the lease bounds a key left behind.</summary>
    private async Task DeleteAbandonedKeyAsync(ByteString key)
    {
        try
        {
            await _client.DeleteAsync(key, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Ignored on purpose (see above).
        }
    }
}
