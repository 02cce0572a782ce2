using ActorStore.Raft;
using Etcdserverpb;
using Raftpb;

namespace ActorStore.Server.Membership;

/// <summary>
/// What a membership change needs from the member it runs on: the member list as the apply actor applied it, Raft's
/// view of the leader and of each member's progress, the log to propose through, and the leader to hand a promotion to.
/// </summary>
public interface IMembershipChangeHost
{
    /// <summary>This member's id.</summary>
    ulong LocalMemberId { get; }

    /// <summary>The leader as Raft last published it; 0 while there is none.</summary>
    ulong Leader { get; }

    /// <summary>The member list as the local apply actor has applied it (no learner check: for the member's own use).</summary>
    Task<MemberListResponse> ReadMemberListAsync(CancellationToken ct);

    /// <summary>Proposes <paramref name="change"/> and waits until it is applied; etcd's error when the member list refuses it.</summary>
    Task ProposeMembershipChangeAsync(ConfChange change, CancellationToken ct);

    /// <summary>Raft's status; on the leader it has how far each member's log matches.</summary>
    Task<RaftStatus> RaftStatusAsync(CancellationToken ct);

    /// <summary>Hands a promotion to the leader at <paramref name="leaderClientUrl"/>, as etcd forwards it.</summary>
    Task<MemberPromoteResponse> PromoteThroughLeaderAsync(string leaderClientUrl, MemberPromoteRequest request, CancellationToken ct);
}
