namespace ActorStore.Raft;

/// <summary>How the leader is currently replicating to one follower.</summary>
public enum ProgressState
{
    /// <summary>The follower's log position is unknown: at most one append is in flight until it answers.</summary>
    Probe = 0,
    /// <summary>The follower is in step: appends are pipelined, bounded by the in-flight window.</summary>
    Replicate = 1,
    /// <summary>The follower needs a snapshot; appends are paused until it reports back.</summary>
    Snapshot = 2,
}
