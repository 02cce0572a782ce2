using Microsoft.Extensions.Logging;

namespace ActorStore.Persistence.Sqlite;

/// <summary>The snapshot-store half of a <see cref="SqlitePersistence"/> database.</summary>
internal sealed class SqliteSnapshotStore(
    SqlitePersistence owner,
    SqliteWriter writer,
    SqliteReaderPool readers,
    ILogger logger) : ISnapshotStore
{
    private int _disposed;

    public Task SaveAsync(SnapshotMetadata metadata, ReadOnlyMemory<byte> data, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentException.ThrowIfNullOrEmpty(metadata.PersistenceId);
        return writer.RunAsync(session => session.SaveSnapshot(metadata, data), ct);
    }

    public Task<SelectedSnapshot?> LoadAsync(
        string persistenceId,
        SnapshotSelectionCriteria criteria,
        CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        ArgumentNullException.ThrowIfNull(criteria);
        return readers.RunAsync(connection => connection.LoadSnapshot(persistenceId, criteria, logger), ct);
    }

    public Task DeleteAsync(SnapshotMetadata metadata, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return writer.RunAsync(session => session.DeleteSnapshot(metadata.PersistenceId, metadata.SequenceNr), ct);
    }

    public Task DeleteAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        ArgumentNullException.ThrowIfNull(criteria);
        return writer.RunAsync(session => session.DeleteSnapshots(persistenceId, criteria), ct);
    }

    public ValueTask DisposeAsync() =>
        Interlocked.Exchange(ref _disposed, 1) == 0 ? owner.ReleasePartAsync() : ValueTask.CompletedTask;
}
