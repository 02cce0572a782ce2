namespace ActorStore.Raft.Shell;

/// <summary>What other parts of the member may read without asking the Raft actor: published after every Ready.</summary>
public sealed record RaftObservedState(ulong Term, ulong Leader, RaftRole Role, ulong LastIndex, ulong CommitIndex)
{
    public static readonly RaftObservedState Initial = new(0, 0, RaftRole.Follower, 0, 0);
}
