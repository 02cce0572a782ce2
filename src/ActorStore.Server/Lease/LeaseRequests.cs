using ActorStore.Protocol.Errors;
using ActorStore.Server.Apply;
using ActorStore.Server.Membership;
using ActorStore.Server.Peers;
using Akka.Actor;
using Etcdserverpb;
using Google.Protobuf;
using Lessorpb;
using Peerpb;

namespace ActorStore.Server.Lease;

/// <summary>
/// etcd's lease requests on a member: grants and revokes go through the log; keep-alives and TTL questions go to the
/// primary lessor (the leader's), local or over the peer transport; the list of leases comes from the local lessor.
/// </summary>
internal sealed class LeaseRequests(
    EtcdMember member, MemberOptions options, RequestIdGenerator requestIds, IActorRef lessor, RevisionBoard revision,
    PeerDirectory peers, PeerAddressBook peerAddresses, PeerIdentity peerIdentity, CancellationToken stopping)
{
    /// <summary>Grants a lease through the log; an ID of 0 asks the member to choose one, as etcd does.</summary>
    public Task<LeaseGrantResponse> LeaseGrantAsync(LeaseGrantRequest request, CancellationToken ct, DateTime? deadline)
    {
        member.RefuseOnLearner();
        if (request.ID == 0)
        {
            request = new LeaseGrantRequest(request) { ID = (long)(requestIds.Next() & long.MaxValue) };
        }
        return member.ProposeAsync<LeaseGrantResponse>(new InternalRaftRequest { LeaseGrant = request }, ct, deadline);
    }

    /// <summary>Revokes a lease through the log: its keys are deleted in one revision.</summary>
    public Task<LeaseRevokeResponse> LeaseRevokeAsync(LeaseRevokeRequest request, CancellationToken ct, DateTime? deadline, Auth.AuthInfo? caller = null)
    {
        member.RefuseOnLearner();
        return member.ProposeAsync<LeaseRevokeResponse>(Auth.CallerHeader.WithCaller(new InternalRaftRequest { LeaseRevoke = request }, caller), ct, deadline);
    }

    /// <summary>
    /// One keep-alive: the leader's lease actor renews the lease; a follower hands it to the leader. TTL 0 when the lease
    /// does not exist (any more), as etcd answers keep-alives.
    /// </summary>
    public async Task<LeaseKeepAliveResponse> LeaseRenewAsync(long id, CancellationToken ct)
    {
        member.RefuseOnLearner();
        var answer = await AskLessorAsync(new RenewLease { Id = id }, ct).ConfigureAwait(false);
        return new LeaseKeepAliveResponse
        {
            Header = member.ResponseHeaderAt(revision.Current),
            ID = id,
            TTL = answer.Outcome == LessorAnswer.Types.Outcome.Ok ? answer.Ttl : 0,
        };
    }

    /// <summary>Remaining and granted TTL (and the keys) from the leader's lease actor; TTL -1 for a lease that does not exist.</summary>
    public async Task<LeaseTimeToLiveResponse> LeaseTimeToLiveAsync(LeaseTimeToLiveRequest request, CancellationToken ct)
    {
        member.RefuseOnLearner();
        var answer = await AskLessorAsync(new QueryTimeToLive { Id = request.ID, Keys = request.Keys }, ct).ConfigureAwait(false);
        var response = new LeaseTimeToLiveResponse { Header = member.ResponseHeaderAt(revision.Current), ID = request.ID, TTL = -1 };
        if (answer.Outcome == LessorAnswer.Types.Outcome.Ok)
        {
            response.TTL = answer.Ttl;
            response.GrantedTTL = answer.GrantedTtl;
            response.Keys.AddRange(answer.Keys);
        }
        return response;
    }

    /// <summary>The leases this member knows, from its own lessor (etcd answers LeaseLeases locally too).</summary>
    public async Task<LeaseLeasesResponse> LeaseLeasesAsync(CancellationToken ct)
    {
        member.RefuseOnLearner();
        var ids = await lessor.Ask<LeaseIds>(ListLeases.Instance, options.RequestTimeout, ct).ConfigureAwait(false);
        var response = new LeaseLeasesResponse { Header = member.ResponseHeaderAt(revision.Current) };
        foreach (var id in ids.Ids)
        {
            response.Leases.Add(new LeaseStatus { ID = id });
        }
        return response;
    }

    /// <summary>The leader's lessor revokes expired leases through the log like a client's revoke.</summary>
    public Task RevokeExpiredAsync(long id) =>
        member.ProposeAsync<LeaseRevokeResponse>(
            Auth.CallerHeader.WithCaller(new InternalRaftRequest { LeaseRevoke = new LeaseRevokeRequest { ID = id } }, Auth.AuthInfo.Member), stopping);

    /// <summary>
    /// Asks the primary lessor (the leader's, local or over the peer transport), waiting through elections and the
    /// moment between a leader's election and its lessor taking over, up to the request timeout.
    /// </summary>
    private async Task<LessorAnswer> AskLessorAsync(IMessage question, CancellationToken ct)
    {
        var attemptTimeout = options.HeartbeatInterval * options.ElectionTicks;
        var deadline = DateTimeOffset.UtcNow + options.RequestTimeout;
        while (DateTimeOffset.UtcNow < deadline)
        {
            ct.ThrowIfCancellationRequested();
            var leader = member.Raft.Leader;
            var (target, message) = leader == member.Identity.MemberId ? ((IActorRef?)lessor, question)
                : leader != 0 && peers.Addresses.TryGetValue(leader, out var address) ? (PeerRefs.Gate(member.System, peerAddresses.AddressOf(leader) ?? address), EnvelopeFor(question))
                : (null, question);
            if (target is not null)
            {
                try
                {
                    var answer = await target.Ask<LessorAnswer>(message, attemptTimeout, ct).ConfigureAwait(false);
                    if (answer.Outcome != LessorAnswer.Types.Outcome.NotPrimary)
                    {
                        return answer;
                    }
                }
                catch (AskTimeoutException)
                {
                }
            }
            await Task.Delay(options.HeartbeatInterval, ct).ConfigureAwait(false);
        }
        throw member.Raft.Leader == 0 ? EtcdErrors.NoLeader : EtcdErrors.Timeout;
    }

    /// <summary>A question for the leader's lessor, as it travels to another member.</summary>
    private PeerEnvelope EnvelopeFor(IMessage question)
    {
        var envelope = new PeerEnvelope { ClusterId = peerIdentity.ClusterId, MemberId = peerIdentity.MemberId };
        switch (question)
        {
            case RenewLease renew:
                envelope.RenewLease = renew;
                break;
            case QueryTimeToLive query:
                envelope.QueryTimeToLive = query;
                break;
            default:
                throw new ArgumentException($"{question.GetType().Name} is not a question for a lessor", nameof(question));
        }
        return envelope;
    }
}
