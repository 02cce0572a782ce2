namespace ActorStore.EndToEnd.Watch;

/// <summary>
/// What one logical watcher received: one segment per stream, the next opened where the last left off (resumed).
/// Complete means it was watched until it had to have seen every event of the history.
/// </summary>
public sealed record RecordedWatch(string Name, WatchSpec Spec, IReadOnlyList<WatchSegment> Segments, bool Complete);
