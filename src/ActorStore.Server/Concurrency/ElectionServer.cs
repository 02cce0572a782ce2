using System.Runtime.CompilerServices;
using ActorStore.Protocol.Errors;
using Etcdserverpb;
using Google.Protobuf;
using Mvccpb;
using V3electionpb;

namespace ActorStore.Server.Concurrency;

/// <summary>
/// etcd's v3election service on a member. Candidates of election N put their value under "N/&lt;lease hex&gt;"; the
/// oldest key leads. Campaign waits, through a watch, until every older candidate is gone; the leader can change its
/// value (Proclaim) and step down (Resign) while its key keeps the create revision it won with.
/// </summary>
public sealed class ElectionServer
{
    private readonly ConcurrencyClient _client;

    public ElectionServer(EtcdMember member)
    {
        ArgumentNullException.ThrowIfNull(member);
        _client = new ConcurrencyClient(member);
    }

    /// <summary>
    /// Waits until the caller leads and answers its leader key. Lease 0 binds the key to a new 60 s lease. A candidate
    /// whose lease already campaigns keeps its place and proclaims the new value. A call canceled while it waits
    /// withdraws its candidacy.
    /// </summary>
    public async Task<CampaignResponse> CampaignAsync(CampaignRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var lease = await _client.SessionLeaseAsync(request.Lease, ct).ConfigureAwait(false);
        var prefix = ConcurrencyKeys.PrefixOf(request.Name);
        var key = ConcurrencyKeys.KeyOf(prefix, lease);
        // Not cut short by the caller's token, so that a canceled candidate always reaches the withdrawal below.
        var joined = await _client.TxnAsync(new TxnRequest
        {
            Compare = { ConcurrencyKeys.CreatedAt(key, 0) },
            Success = { ConcurrencyKeys.Put(key, request.Value, lease) },
            Failure = { ConcurrencyKeys.Get(key) },
        }, CancellationToken.None).ConfigureAwait(false);
        var createRevision = joined.Header.Revision;
        if (!joined.Succeeded)
        {
            var existing = joined.Responses[0].ResponseRange.Kvs[0];
            createRevision = existing.CreateRevision;
            if (existing.Value != request.Value)
            {
                await ProclaimOrWithdrawAsync(key, createRevision, lease, request.Value, ct).ConfigureAwait(false);
            }
        }

        try
        {
            await _client.WaitDeletesAsync(prefix, createRevision - 1, ct).ConfigureAwait(false);
        }
        catch when (ct.IsCancellationRequested)
        {
            await WithdrawQuietlyAsync(key, createRevision, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        // etcd answers the header of the step that placed the candidate, not of the wait.
        return new CampaignResponse
        {
            Header = joined.Header,
            Leader = new LeaderKey { Name = request.Name, Key = key, Rev = createRevision, Lease = lease },
        };
    }

    /// <summary>Sets the leader's value, failing with "election: not leader" once its key is gone or re-created.</summary>
    public async Task<ProclaimResponse> ProclaimAsync(ProclaimRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var leader = request.Leader ?? throw ConcurrencyErrors.MissingLeaderKey;
        // As in etcd, lease 0 here binds the key to a new 60 s lease.
        var lease = await _client.SessionLeaseAsync(leader.Lease, ct).ConfigureAwait(false);
        var header = await ProclaimCoreAsync(leader.Key, leader.Rev, lease, request.Value, ct).ConfigureAwait(false);
        return new ProclaimResponse { Header = header };
    }

    /// <summary>The current leader's key-value (the oldest candidate), or "election: no leader".</summary>
    public async Task<LeaderResponse> LeaderAsync(LeaderRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var leader = await _client.RangeAsync(ConcurrencyKeys.FirstCreated(ConcurrencyKeys.PrefixOf(request.Name)), ct)
            .ConfigureAwait(false);
        if (leader.Kvs.Count == 0)
        {
            throw ConcurrencyErrors.ElectionNoLeader;
        }
        return new LeaderResponse { Header = leader.Header, Kv = leader.Kvs[0] };
    }

    /// <summary>
    /// Deletes the leader key if it still has the create revision it won with; answers the header either way. Lease 0
    /// grants an unused 60 s lease first, as etcd does.
    /// </summary>
    public async Task<ResignResponse> ResignAsync(ResignRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var leader = request.Leader ?? throw ConcurrencyErrors.MissingLeaderKey;
        await _client.SessionLeaseAsync(leader.Lease, ct).ConfigureAwait(false);
        var withdrawn = await WithdrawAsync(leader.Key, leader.Rev, ct).ConfigureAwait(false);
        return new ResignResponse { Header = withdrawn.Header };
    }

    /// <summary>
    /// The election's leaders as they come and go: the current one (or the first to arrive), each new value it
    /// proclaims, then its successor once its key is deleted. The sequence ends when the underlying read or watch fails,
    /// which etcd reports as a normal end of the stream.
    /// </summary>
    public async IAsyncEnumerable<LeaderResponse> ObserveAsync(LeaderRequest request, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var prefix = ConcurrencyKeys.PrefixOf(request.Name);
        var query = ConcurrencyKeys.FirstCreated(prefix);
        while (true)
        {
            var current = await TryRangeAsync(query, ct).ConfigureAwait(false);
            if (current is null)
            {
                yield break;
            }
            var leader = current.Kvs.Count > 0
                ? new LeaderResponse { Header = current.Header, Kv = current.Kvs[0] }
                : await FirstCandidateAsync(prefix, current.Header.Revision, ct).ConfigureAwait(false);
            if (leader is null)
            {
                yield break;
            }
            yield return leader;

            var deleted = false;
            var follow = new WatchCreateRequest { Key = leader.Kv.Key, StartRevision = leader.Header.Revision + 1 };
            await foreach (var response in _client.WatchAsync(follow, ct).ConfigureAwait(false))
            {
                foreach (var change in response.Events)
                {
                    if (change.Type == Event.Types.EventType.Delete)
                    {
                        deleted = true;
                        break;
                    }
                    yield return new LeaderResponse { Header = response.Header, Kv = change.Kv };
                }
                if (deleted)
                {
                    break;
                }
            }
            if (!deleted)
            {
                yield break;
            }
        }
    }

    /// <summary>Waits for the first put under an empty election's prefix; null if the watch ends first.</summary>
    private async Task<LeaderResponse?> FirstCandidateAsync(ByteString prefix, long revision, CancellationToken ct)
    {
        var request = new WatchCreateRequest
        {
            Key = prefix,
            RangeEnd = ConcurrencyKeys.PrefixEnd(prefix),
            StartRevision = revision,
        };
        await foreach (var response in _client.WatchAsync(request, ct).ConfigureAwait(false))
        {
            if (ConcurrencyClient.WatchError(response) is not null)
            {
                return null;
            }
            foreach (var change in response.Events)
            {
                // Deletes are skipped: only a put brings a leader.
                if (change.Type == Event.Types.EventType.Put)
                {
                    // The header carries the candidate's own revision, from which its key is then followed.
                    var header = new ResponseHeader(response.Header) { Revision = change.Kv.ModRevision };
                    return new LeaderResponse { Header = header, Kv = change.Kv };
                }
            }
        }
        return null;
    }

    private async Task<RangeResponse?> TryRangeAsync(RangeRequest request, CancellationToken ct)
    {
        try
        {
            return await _client.RangeAsync(request, ct).ConfigureAwait(false);
        }
        catch (RpcException)
        {
            return null;
        }
    }

    private async Task<ResponseHeader> ProclaimCoreAsync(ByteString key, long createRevision, long lease, ByteString value, CancellationToken ct)
    {
        var proclaimed = await _client.TxnAsync(new TxnRequest
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
    private async Task ProclaimOrWithdrawAsync(ByteString key, long createRevision, long lease, ByteString value, CancellationToken ct)
    {
        try
        {
            await ProclaimCoreAsync(key, createRevision, lease, value, ct).ConfigureAwait(false);
        }
        catch (RpcException error) when (error.Message != ConcurrencyErrors.ElectionNotLeader.Message)
        {
            await WithdrawQuietlyAsync(key, createRevision, ct).ConfigureAwait(false);
            throw;
        }
    }

    private Task<TxnResponse> WithdrawAsync(ByteString key, long createRevision, CancellationToken ct) =>
        _client.TxnAsync(new TxnRequest
        {
            Compare = { ConcurrencyKeys.CreatedAt(key, createRevision) },
            Success = { ConcurrencyKeys.Delete(key) },
        }, ct);

    private async Task WithdrawQuietlyAsync(ByteString key, long createRevision, CancellationToken ct)
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
