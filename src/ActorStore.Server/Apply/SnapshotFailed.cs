namespace ActorStore.Server.Apply;

/// <summary>Saving a snapshot failed; the journal keeps everything and a later snapshot tries again.</summary>
public sealed record SnapshotFailed(long Index, Exception Cause);
