namespace ActorStore.Persistence;

/// <summary>Stores checksummed snapshots per persistence id.</summary>
public interface ISnapshotStore : IAsyncDisposable
{
    /// <summary>Stores the snapshot (replacing one with the same persistence id and sequence number);
    /// durable when the task completes.</summary>
    Task SaveAsync(SnapshotMetadata metadata, ReadOnlyMemory<byte> data, CancellationToken ct = default);

    /// <summary>
    /// The latest snapshot (highest sequence number) matching the criteria, or null. A snapshot whose checksum
    /// fails is skipped with a logged warning and the next older one is tried.
    /// </summary>
    Task<SelectedSnapshot?> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken ct = default);

    /// <summary>Durably deletes the snapshot with the metadata's persistence id and sequence number.</summary>
    Task DeleteAsync(SnapshotMetadata metadata, CancellationToken ct = default);

    /// <summary>Durably deletes every snapshot of the persistence id matching the criteria.</summary>
    Task DeleteAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken ct = default);
}
