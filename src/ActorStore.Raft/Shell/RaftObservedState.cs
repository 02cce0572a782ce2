namespace ActorStore.Raft.Shell;

/// <summary>
/// What other parts of the member may read without asking the Raft actor: published after every Ready.
/// <paramref name="LeaderChangedAt"/> is when this member last learned of a new leader (scheduler time), as etcd
/// records it to tell a request lost with a failed leader from an ordinary timeout.
/// </summary>
public sealed record RaftObservedState(ulong Term, ulong Leader, RaftRole Role, ulong LastIndex, ulong CommitIndex, DateTimeOffset LeaderChangedAt = default)
{
    public static readonly RaftObservedState Initial = new(0, 0, RaftRole.Follower, 0, 0);
}
