namespace ActorStore.Raft.Shell;

/// <summary>
/// What other parts of the member may read without asking the Raft actor: published after every Ready.
/// <paramref name="BecameLeaderAt"/> is when this member last became leader (scheduler time): etcd records it to tell a
/// request lost with the previous, failed leader from an ordinary timeout.
/// </summary>
public sealed record RaftObservedState(ulong Term, ulong Leader, RaftRole Role, ulong LastIndex, ulong CommitIndex, DateTimeOffset BecameLeaderAt = default)
{
    public static readonly RaftObservedState Initial = new(0, 0, RaftRole.Follower, 0, 0);
}
