namespace ActorStore.Raft.Shell;

/// <summary>
/// Asks for a linearizable read point: <paramref name="Completion"/> gets the log index that must be applied before
/// the read may be served. Reads that arrive while a confirmation is in flight share the next one.
/// </summary>
public sealed record ReadIndexRequest(TaskCompletionSource<ulong> Completion);
