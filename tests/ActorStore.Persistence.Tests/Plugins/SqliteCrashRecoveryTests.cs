namespace ActorStore.Persistence.Tests.Plugins;

using Xunit.Abstractions;

/// <summary>Kill -9 recovery of the embedded SQLite journal.</summary>
public sealed class SqliteCrashRecoveryTests(ITestOutputHelper output) : CrashRecoveryTests(output)
{
    protected override Task<PluginStorage> CreateStorageAsync() => Task.FromResult<PluginStorage>(new SqliteStorage());
}
