using Raftpb;

namespace ActorStore.Raft.Shell;

/// <summary>Entries the cluster has committed, in log order, for the state machine to apply.</summary>
public sealed record RaftCommitted(IReadOnlyList<Entry> Entries);
