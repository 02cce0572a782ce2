namespace ActorStore.Raft;

/// <summary>A member's state including membership and, on the leader, the replication progress of every member.</summary>
public sealed record RaftStatus(
    RaftBasicStatus Basic,
    IReadOnlyList<ulong> Voters,
    IReadOnlyList<ulong> Learners,
    IReadOnlyDictionary<ulong, PeerProgress> Progress)
{
    public ulong Id => Basic.Id;
    public ulong Term => Basic.Term;
    public ulong Vote => Basic.Vote;
    public ulong Commit => Basic.Commit;
    public ulong Applied => Basic.Applied;
    public ulong Lead => Basic.Lead;
    public RaftRole Role => Basic.Role;
}
