namespace ActorStore.Raft.Shell;

/// <summary>The member's durable term changed (response headers carry it).</summary>
public sealed record RaftTermChanged(ulong Term);
