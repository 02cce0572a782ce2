namespace ActorStore.Robustness.History;

/// <summary>How a member's watcher ended: complete means it received every event up to the final revision.</summary>
public sealed record WatchEndRecord(string Member, bool Complete, long LastRevision);
