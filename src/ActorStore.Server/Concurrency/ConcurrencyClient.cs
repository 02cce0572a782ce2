using System.Runtime.CompilerServices;
using ActorStore.Protocol.Errors;
using ActorStore.Server.Auth;
using Etcdserverpb;
using Google.Protobuf;
using Mvccpb;

namespace ActorStore.Server.Concurrency;

/// <summary>
/// The member as the lock and election services use it: the KV, lease and watch calls they need, with member errors
/// relayed the way etcd's in-process client relays them (status Unknown), and the wait for predecessors' deletion.
/// </summary>
internal sealed class ConcurrencyClient(EtcdMember member)
{
    /// <summary>TTL of the lease granted when a request names lease 0 (etcd's default session TTL).</summary>
    public const long SessionTtlSeconds = 60;

    public async Task<RangeResponse> RangeAsync(RangeRequest request, CancellationToken ct)
    {
        try
        {
            return await member.RangeAsync(request, ct, AuthInfo.Member).ConfigureAwait(false);
        }
        catch (RpcException error)
        {
            throw ConcurrencyErrors.Relayed(error);
        }
    }

    public async Task<TxnResponse> TxnAsync(TxnRequest request, CancellationToken ct)
    {
        try
        {
            return await member.TxnAsync(request, ct, caller: AuthInfo.Member).ConfigureAwait(false);
        }
        catch (RpcException error)
        {
            throw ConcurrencyErrors.Relayed(error);
        }
    }

    public async Task<DeleteRangeResponse> DeleteAsync(ByteString key, CancellationToken ct)
    {
        try
        {
            return await member.DeleteRangeAsync(new DeleteRangeRequest { Key = key }, ct, caller: AuthInfo.Member).ConfigureAwait(false);
        }
        catch (RpcException error)
        {
            throw ConcurrencyErrors.Relayed(error);
        }
    }

    /// <summary>
    /// The lease a request's keys are bound to: the one it names, or, for 0, a new lease with the session TTL. Nothing
    /// keeps it alive afterwards (etcd orphans the session at once); a lease that does not exist fails at the first put.
    /// </summary>
    public async Task<long> SessionLeaseAsync(long lease, CancellationToken ct)
    {
        if (lease != 0)
        {
            return lease;
        }
        try
        {
            var granted = await member.LeaseGrantAsync(new LeaseGrantRequest { TTL = SessionTtlSeconds }, ct).ConfigureAwait(false);
            return granted.ID;
        }
        catch (RpcException error)
        {
            throw ConcurrencyErrors.Relayed(error);
        }
    }

    /// <summary>The watch responses for <paramref name="request"/>; a watch that fails just ends, as a closed Go channel does.</summary>
    public async IAsyncEnumerable<WatchResponse> WatchAsync(WatchCreateRequest request, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var responses = member.Watches.WatchAsync(request, ct).GetAsyncEnumerator(ct);
        while (true)
        {
            bool more;
            try
            {
                more = await responses.MoveNextAsync().ConfigureAwait(false);
            }
            catch (RpcException)
            {
                yield break;
            }
            if (!more)
            {
                yield break;
            }
            yield return responses.Current;
        }
    }

    /// <summary>
    /// Waits until no key under <paramref name="prefix"/> created at or before <paramref name="maxCreateRevision"/> is
    /// left, watching the newest such key each round (each contender waits on its predecessor only), and answers the
    /// header of the read that found none.
    /// </summary>
    public async Task<ResponseHeader> WaitDeletesAsync(ByteString prefix, long maxCreateRevision, CancellationToken ct)
    {
        var query = ConcurrencyKeys.LastCreatedUpTo(prefix, maxCreateRevision);
        while (true)
        {
            var newest = await RangeAsync(query, ct).ConfigureAwait(false);
            if (newest.Kvs.Count == 0)
            {
                return newest.Header;
            }
            await WaitDeleteAsync(newest.Kvs[0].Key, newest.Header.Revision, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Watches <paramref name="key"/> from <paramref name="revision"/> until an event deletes it.</summary>
    private async Task WaitDeleteAsync(ByteString key, long revision, CancellationToken ct)
    {
        // The watcher lives only as long as this wait, whichever way it ends.
        using var watch = CancellationTokenSource.CreateLinkedTokenSource(ct);
        WatchResponse? last = null;
        try
        {
            var request = new WatchCreateRequest { Key = key, StartRevision = revision };
            await foreach (var response in member.Watches.WatchAsync(request, watch.Token).ConfigureAwait(false))
            {
                foreach (var change in response.Events)
                {
                    if (change.Type == Event.Types.EventType.Delete)
                    {
                        return;
                    }
                }
                last = response;
                if (WatchError(response) is not null)
                {
                    break;
                }
            }
        }
        catch (RpcException error)
        {
            throw ConcurrencyErrors.Relayed(error);
        }
        finally
        {
            await watch.CancelAsync().ConfigureAwait(false);
        }
        if (last is not null && WatchError(last) is { } failure)
        {
            throw failure;
        }
        ct.ThrowIfCancellationRequested();
        throw ConcurrencyErrors.LostWatcher;
    }

    /// <summary>The error a watch response ends a watch with, as etcd's client reports it, or null.</summary>
    public static RpcException? WatchError(WatchResponse response)
    {
        if (response.CompactRevision != 0)
        {
            return ConcurrencyErrors.Relayed(EtcdErrors.Compacted);
        }
        if (response.Canceled)
        {
            // etcd's client turns a reason into FailedPrecondition unless it is one of etcd's own messages, which it
            // relays like every other etcd error.
            return response.CancelReason.Length == 0 ? ConcurrencyErrors.Relayed(EtcdErrors.FutureRev)
                : response.CancelReason.StartsWith("etcdserver: ", StringComparison.Ordinal)
                    ? new RpcException(StatusCode.Unknown, response.CancelReason)
                    : new RpcException(StatusCode.FailedPrecondition, response.CancelReason);
        }
        return null;
    }
}
