using Raftpb;

namespace ActorStore.Raft;

/// <summary>What a member had on disk when it (re)started: its vote/term/commit and the membership of its snapshot.</summary>
public sealed record RaftInitialState(HardState HardState, ConfState ConfState);
