namespace ActorStore.Robustness.History;

/// <summary>The last line: the store's revision at the end and how many operations the file holds.</summary>
public sealed record FinalRecord(long Revision, long Ops);
