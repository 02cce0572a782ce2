using Raftpb;

namespace ActorStore.Raft.Shell;

/// <summary>The leader sent a snapshot and it is durable: the state machine must become its data.</summary>
public sealed record RaftSnapshotInstalled(Snapshot Snapshot);
