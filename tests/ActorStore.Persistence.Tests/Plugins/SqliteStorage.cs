namespace ActorStore.Persistence.Tests.Plugins;

using ActorStore.Persistence.Embedded;
using ActorStore.Persistence.Tests.Conformance;
using Akka.Configuration;

/// <summary>The embedded SQLite plugins on a private temp data dir.</summary>
public sealed class SqliteStorage : PluginStorage
{
    private readonly TempDirectory _directory = new();

    public string DataDir => _directory.Combine("data");

    public string JournalPath => Path.Combine(DataDir, "member", "journal.db");

    public string SnapshotsPath => Path.Combine(DataDir, "member", "snapshots.db");

    public override Config Config => EmbeddedPersistence.ConfigFor(DataDir);

    public override (string Plugin, string Location) ProcessArguments => (PersistenceHocon.Sqlite, DataDir);

    public override ValueTask DisposeAsync()
    {
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }
}
