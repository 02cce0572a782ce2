namespace ActorStore.Robustness.History;

/// <summary>One watch response with events, as received by the watcher pinned to <see cref="Member"/>.</summary>
public sealed record WatchResponseRecord(string Member, int Segment, long Start, IReadOnlyList<WatchEventRecord> Events);
