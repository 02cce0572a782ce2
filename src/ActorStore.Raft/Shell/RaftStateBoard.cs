namespace ActorStore.Raft.Shell;

/// <summary>The latest <see cref="RaftObservedState"/>: written by the Raft actor only, read by anyone.</summary>
public sealed class RaftStateBoard
{
    private RaftObservedState _current = RaftObservedState.Initial;
    private long _leaderChanges;

    public RaftObservedState Current => Volatile.Read(ref _current);

    /// <summary>How often a leader other than the last known one was seen, as etcd counts leader changes.</summary>
    public long LeaderChanges => Interlocked.Read(ref _leaderChanges);

    internal void Publish(RaftObservedState state)
    {
        if (state.Leader != 0 && state.Leader != _current.Leader)
        {
            Interlocked.Increment(ref _leaderChanges);
        }
        Volatile.Write(ref _current, state);
    }
}
