using ActorStore.Protocol.Errors;
using Etcdserverpb;
using Google.Protobuf.WellKnownTypes;
using V2Pb;

namespace ActorStore.Server.V2;

/// <summary>
/// etcd's v2 keys requests on a member: writes and quorum reads go through the log, plain reads and watches are
/// served by the local apply actor, which owns the v2 store. While this member leads and the store holds keys with
/// TTLs, it proposes a sync with its clock twice a second, as etcd's leader does, so every member expires the same
/// keys at the same index.
/// </summary>
public sealed class V2Keys
{
    /// <summary>etcd's sync ticker interval.</summary>
    private static readonly TimeSpan SyncInterval = TimeSpan.FromMilliseconds(500);

    private readonly EtcdMember _member;

    internal V2Keys(EtcdMember member, V2ServerStats serverStats, V2LeaderStats leaderStats)
    {
        _member = member;
        ServerStats = serverStats;
        LeaderStats = leaderStats;
    }

    /// <summary>/v2/stats/self.</summary>
    public V2ServerStats ServerStats { get; }

    /// <summary>/v2/stats/leader, which etcd answers only on the leader.</summary>
    public V2LeaderStats LeaderStats { get; }

    /// <summary>PUT, POST, DELETE, or a quorum GET (method QGET): applied when committed.</summary>
    public Task<V2Outcome> ProposeAsync(Request request, CancellationToken ct)
    {
        _member.RefuseOnLearner();
        return _member.ProposeAsync<V2Outcome>(new InternalRaftRequest { V2 = request }, ct);
    }

    /// <summary>A GET served from this member's store, as etcd serves v2 reads without quorum.</summary>
    public Task<V2Outcome> GetAsync(string path, bool recursive, bool sorted, CancellationToken ct) =>
        _member.ReadAsync<V2Outcome>(view =>
        {
            try
            {
                return V2Applier.Outcome(StoreOf(view).Get(V2Applier.StorePath(path), recursive, sorted));
            }
            catch (V2Error e)
            {
                return V2Applier.Failure(e);
            }
        }, serializable: true, ct);

    /// <summary>A waiting watch; the error instead when the waitIndex is older than the history.</summary>
    public async Task<(V2Watcher? Watcher, V2Outcome? Error)> WatchAsync(string path, bool recursive, bool stream, ulong sinceIndex, CancellationToken ct)
    {
        V2Watcher? watcher = null;
        var outcome = await _member.ReadAsync<V2Outcome>(view =>
        {
            try
            {
                // Written on the apply actor, read after the query's completion: the task hands it over.
                watcher = StoreOf(view).Watch(V2Applier.StorePath(path), recursive, stream, sinceIndex);
                return new V2Outcome();
            }
            catch (V2Error e)
            {
                return V2Applier.Failure(e);
            }
        }, serializable: true, ct).ConfigureAwait(false);
        return outcome.ErrorCode != 0 ? (null, outcome) : (watcher, null);
    }

    /// <summary>etcd's /v2/stats/store body, from this member's store.</summary>
    public async Task<byte[]> StoreStatsAsync(CancellationToken ct)
    {
        var json = await _member.ReadAsync<BytesValue>(view =>
        {
            var store = StoreOf(view);
            return new BytesValue { Value = Google.Protobuf.ByteString.CopyFrom(store.Stats.ToJson(store.Watchers.Count)) };
        }, serializable: true, ct).ConfigureAwait(false);
        return json.Value.ToByteArray();
    }

    internal async Task RunExpirySyncAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(SyncInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                var raft = _member.Raft;
                if (raft.Leader == 0 || raft.Leader != _member.Identity.MemberId)
                {
                    continue;
                }
                try
                {
                    var hasTtlKeys = await _member.ReadAsync<BoolValue>(
                        view => new BoolValue { Value = StoreOf(view).HasTtlKeys }, serializable: true, ct).ConfigureAwait(false);
                    if (hasTtlKeys.Value)
                    {
                        await _member.ProposeAsync<V2Outcome>(
                            new InternalRaftRequest { V2 = new Request { Method = "SYNC", Time = V2Clock.NowNanos() } }, ct).ConfigureAwait(false);
                    }
                }
                catch (Exception e) when (e is RpcException or ActorStore.Raft.ProposalDroppedException or TimeoutException)
                {
                    // Lost leadership or timed out: the next tick tries again.
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static V2Store StoreOf(Apply.ApplyView view) =>
        view.V2 ?? throw new InvalidOperationException("the apply actor serves no v2 store");
}
