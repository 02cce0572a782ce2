namespace ActorStore.Raft.Shell;

/// <summary>Asks for the core's status (term, leader, commit, progress of followers on a leader).</summary>
public sealed record GetRaftStatus(TaskCompletionSource<RaftStatus> Completion);
