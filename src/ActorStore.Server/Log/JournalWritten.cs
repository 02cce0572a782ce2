namespace ActorStore.Server.Log;

/// <summary>The journal made a batch durable; the log actor may hand it on to be applied.</summary>
public sealed record JournalWritten(long FirstIndex, List<Proposal> Batch);
