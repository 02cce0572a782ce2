namespace ActorStore.Server.Log;

/// <summary>The journal could not make a batch durable.</summary>
public sealed record JournalWriteFailed(List<Proposal> Batch, Exception Cause);
