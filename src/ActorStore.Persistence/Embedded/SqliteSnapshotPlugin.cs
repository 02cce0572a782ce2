namespace ActorStore.Persistence.Embedded;

using Akka;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Akka.Persistence;
using Akka.Persistence.Snapshot;

/// <summary>
/// The embedded Akka.Persistence snapshot store: &lt;data-dir&gt;/member/snapshots.db (rollback journal, synchronous=FULL, a
/// CRC-32C per snapshot; a damaged snapshot is logged and skipped for an older one).
/// </summary>
public sealed class SqliteSnapshotPlugin : SnapshotStore
{
    private readonly SnapshotDatabase _database;
    private readonly AkkaPayloads _payloads;
    private readonly ILoggingAdapter _log;

    public SqliteSnapshotPlugin(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var log = _log = Context.GetLogger();
        var dataDir = EmbeddedPersistence.ReadDataDir(config);
        _payloads = new AkkaPayloads((ExtendedActorSystem)Context.System);
        _database = new SnapshotDatabase(dataDir);
        _database.Opened.ContinueWith(
            t => log.Error(t.Exception!.GetBaseException(), "the snapshot store in data dir {0} cannot be opened", dataDir),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted,
            TaskScheduler.Default);

        EmbeddedPersistence.CloseWhenSystemEnds(Context.System, "actorstore-sqlite-snapshot-store-close", _database);
    }

    protected override async Task<SelectedSnapshot?> LoadAsync(
        string persistenceId,
        SnapshotSelectionCriteria criteria,
        CancellationToken cancellationToken)
    {
        var log = _log;
        var record = await _database.LoadLatestAsync(
            persistenceId,
            SnapshotRange.From(criteria),
            sequenceNr => log.Warning(
                "snapshot of persistence id {0} at sequence number {1} fails its checksum; trying an older one",
                persistenceId,
                sequenceNr)).ConfigureAwait(false);
        return record is null
            ? null
            : new SelectedSnapshot(
                new SnapshotMetadata(persistenceId, record.SequenceNr, new DateTime(record.TimestampTicks, DateTimeKind.Utc)),
                _payloads.Deserialize(record.Data, record.SerializerId, record.SerializerManifest));
    }

    protected override Task SaveAsync(SnapshotMetadata metadata, object snapshot, CancellationToken cancellationToken)
    {
        var (serializerId, manifest, bytes) = _payloads.Serialize(snapshot);
        return _database.SaveAsync(new SnapshotRecord(
            metadata.PersistenceId,
            metadata.SequenceNr,
            metadata.Timestamp.Ticks,
            serializerId,
            manifest,
            bytes));
    }

    protected override Task DeleteAsync(SnapshotMetadata metadata, CancellationToken cancellationToken) =>
        _database.DeleteAsync(metadata.PersistenceId, metadata.SequenceNr);

    protected override Task DeleteAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken) =>
        _database.DeleteMatchingAsync(persistenceId, SnapshotRange.From(criteria));

    protected override void PostStop()
    {
        _ = _database.DisposeAsync().AsTask();
        base.PostStop();
    }
}
