namespace ActorStore.Raft.Shell;

/// <summary>The latest <see cref="RaftObservedState"/>: written by the Raft actor only, read by anyone.</summary>
public sealed class RaftStateBoard
{
    private RaftObservedState _current = RaftObservedState.Initial;

    public RaftObservedState Current => Volatile.Read(ref _current);

    internal void Publish(RaftObservedState state) => Volatile.Write(ref _current, state);
}
