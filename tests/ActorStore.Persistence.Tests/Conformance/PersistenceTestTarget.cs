namespace ActorStore.Persistence.Tests.Conformance;

/// <summary>
/// What a persistence plugin provides to the conformance tests: fresh, private storage that can be opened,
/// closed and reopened, and damaged on purpose. Every plugin's test project derives one.
/// </summary>
public abstract class PersistenceTestTarget : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _opened = [];

    public TestLoggerFactory Logs { get; } = new();

    /// <summary>Opens the journal on this target's storage; after disposing it, opening again sees the same data.</summary>
    public async Task<IJournal> OpenJournalAsync()
    {
        var journal = await OpenJournalCoreAsync();
        lock (_opened)
        {
            _opened.Add(journal);
        }

        return journal;
    }

    /// <summary>Opens the snapshot store on this target's storage (same reopen rule as the journal).</summary>
    public async Task<ISnapshotStore> OpenSnapshotStoreAsync()
    {
        var store = await OpenSnapshotStoreCoreAsync();
        lock (_opened)
        {
            _opened.Add(store);
        }

        return store;
    }

    /// <summary>
    /// Damages the stored payload of one entry so that its checksum fails, bypassing the plugin (as bit rot or a
    /// torn write would). Must work whether or not the journal is open.
    /// </summary>
    public abstract Task CorruptJournalEntryAsync(string persistenceId, long sequenceNr);

    /// <summary>Damages the stored data of one snapshot so that its checksum fails.</summary>
    public abstract Task CorruptSnapshotAsync(string persistenceId, long sequenceNr);

    public async ValueTask DisposeAsync()
    {
        IAsyncDisposable[] opened;
        lock (_opened)
        {
            opened = [.. _opened];
        }

        foreach (var plugin in opened)
        {
            await plugin.DisposeAsync();
        }

        await DeleteStorageAsync();
        GC.SuppressFinalize(this);
    }

    protected abstract Task<IJournal> OpenJournalCoreAsync();

    protected abstract Task<ISnapshotStore> OpenSnapshotStoreCoreAsync();

    /// <summary>Removes everything the target stored (temp dirs, databases).</summary>
    protected abstract ValueTask DeleteStorageAsync();
}
