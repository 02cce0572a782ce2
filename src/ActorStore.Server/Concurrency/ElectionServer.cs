using Akka.Actor;
using V3electionpb;

namespace ActorStore.Server.Concurrency;

/// <summary>
/// etcd's v3election service on a member, as an actor. Candidates of election N put their value under
/// "N/&lt;lease hex&gt;"; the oldest key leads. Each Campaign call becomes a <see cref="Candidate"/> child that waits,
/// through a watch, until every older candidate is gone, and each Observe call a <see cref="LeaderObserver"/> child; the
/// leader can change its value (Proclaim) and step down (Resign) while its key keeps the create revision it won with.
/// </summary>
internal sealed class ElectionServer : ReceiveActor
{
    private readonly ConcurrencyClient _client;
    private readonly ElectionWrites _writes;

    public ElectionServer(ConcurrencyClient client)
    {
        _client = client;
        _writes = new ElectionWrites(client);
        Receive<ConcurrencyCall<CampaignRequest, CampaignResponse>>(call => Context.ActorOf(Candidate.Props(_client, _writes, call)));
        Receive<ObserveLeaders>(observe => Context.ActorOf(LeaderObserver.Props(_client, observe)));
        Receive<ConcurrencyCall<ProclaimRequest, ProclaimResponse>>(call => call.AnswerWhenDone(ProclaimAsync(call.Request, call.Cancellation)));
        Receive<ConcurrencyCall<LeaderRequest, LeaderResponse>>(call => call.AnswerWhenDone(LeaderAsync(call.Request, call.Cancellation)));
        Receive<ConcurrencyCall<ResignRequest, ResignResponse>>(call => call.AnswerWhenDone(ResignAsync(call.Request, call.Cancellation)));
    }

    public static Props Props(ConcurrencyClient client) => ActorFactory.Props(() => new ElectionServer(client));

    /// <summary>A candidate or observer that fails is not restarted (its wait cannot be resumed): it stops, withdrawing.</summary>
    protected override SupervisorStrategy SupervisorStrategy() => Akka.Actor.SupervisorStrategy.StoppingStrategy;

    /// <summary>Sets the leader's value, failing with "election: not leader" once its key is gone or re-created.</summary>
    private async Task<ProclaimResponse> ProclaimAsync(ProclaimRequest request, CancellationToken ct)
    {
        var leader = request.Leader ?? throw ConcurrencyErrors.MissingLeaderKey;
        // As in etcd, lease 0 here binds the key to a new 60 s lease.
        var lease = await _client.SessionLeaseAsync(leader.Lease, ct).ConfigureAwait(false);
        var header = await _writes.ProclaimAsync(leader.Key, leader.Rev, lease, request.Value, ct).ConfigureAwait(false);
        return new ProclaimResponse { Header = header };
    }

    /// <summary>The current leader's key-value (the oldest candidate), or "election: no leader".</summary>
    private async Task<LeaderResponse> LeaderAsync(LeaderRequest request, CancellationToken ct)
    {
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
    private async Task<ResignResponse> ResignAsync(ResignRequest request, CancellationToken ct)
    {
        var leader = request.Leader ?? throw ConcurrencyErrors.MissingLeaderKey;
        await _client.SessionLeaseAsync(leader.Lease, ct).ConfigureAwait(false);
        var withdrawn = await _writes.WithdrawAsync(leader.Key, leader.Rev, ct).ConfigureAwait(false);
        return new ResignResponse { Header = withdrawn.Header };
    }
}
