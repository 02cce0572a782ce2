namespace ActorStore.Server.Backup;

/// <summary>How far a long snapshot job is: its current step, and bytes done of the step's total (0 when unknown).</summary>
public readonly record struct SnapshotProgress(string Step, long Done, long Total);
