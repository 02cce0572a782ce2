namespace ActorStore.Persistence.Tests.Plugins;

using Xunit.Abstractions;

/// <summary>The snapshot store conformance suite on the embedded SQLite snapshot store.</summary>
public sealed class SqliteSnapshotPluginTests(ITestOutputHelper output) : SnapshotPluginConformanceTests(output)
{
    protected override Task<PluginStorage> CreateStorageAsync() => Task.FromResult<PluginStorage>(new SqliteStorage());
}
