namespace ActorStore.Persistence;

/// <summary>A loaded snapshot whose checksum was verified.</summary>
public sealed record SelectedSnapshot(SnapshotMetadata Metadata, byte[] Data);
