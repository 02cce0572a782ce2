namespace ActorStore.Persistence.Tests.Plugins;

using Xunit.Abstractions;

/// <summary>The journal conformance suite on the embedded SQLite journal.</summary>
public sealed class SqliteJournalPluginTests(ITestOutputHelper output) : JournalPluginConformanceTests(output)
{
    protected override Task<PluginStorage> CreateStorageAsync() => Task.FromResult<PluginStorage>(new SqliteStorage());
}
