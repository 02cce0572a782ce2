using ActorStore.Protocol.Errors;
using ActorStore.Raft.Shell;

namespace ActorStore.Server;

/// <summary>
/// What a member answers when a request's proposal is still not applied as its deadline passes, etcd's
/// parseProposeCtxErr: all are status Unavailable, which etcd's clients do not resend for a write (unlike
/// DEADLINE_EXCEEDED, which clientv3 treats as a failed attempt and sends again, maybe to another member).
/// </summary>
public static class ProposalTimeouts
{
    /// <param name="proposedAt">When the request was proposed (scheduler time).</param>
    /// <param name="electionTimeout">Heartbeat interval times election ticks.</param>
    public static RpcException ErrorFor(DateTimeOffset proposedAt, RaftObservedState state, ulong selfId, TimeSpan electionTimeout)
    {
        ArgumentNullException.ThrowIfNull(state);
        var electedAt = state.BecameLeaderAt;
        if (electedAt != default && proposedAt > electedAt - 2 * electionTimeout && proposedAt < electedAt)
        {
            // Proposed shortly before this member became the next leader: most likely lost with the failed leader.
            return EtcdErrors.TimeoutDueToLeaderFail;
        }
        if (state.Leader == 0)
        {
            return EtcdErrors.Timeout;
        }
        var connected = state.Leader == selfId
            ? state.IsConnectedToQuorumSince(proposedAt)
            : state.IsConnectedSince(state.Leader, proposedAt);
        return connected ? EtcdErrors.Timeout : EtcdErrors.TimeoutDueToConnectionLost;
    }
}
