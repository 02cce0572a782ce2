namespace ActorStore.Raft;

/// <summary>The leader's view of one member's log, as reported in <see cref="RaftStatus"/>.</summary>
public sealed record PeerProgress(
    ulong Match,
    ulong Next,
    ProgressState State,
    bool IsLearner,
    bool RecentActive,
    bool IsPaused,
    ulong PendingSnapshot,
    int InflightMessages);
