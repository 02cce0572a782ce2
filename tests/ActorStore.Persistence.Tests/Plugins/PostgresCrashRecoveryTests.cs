namespace ActorStore.Persistence.Tests.Plugins;

using Xunit;
using Xunit.Abstractions;

/// <summary>Kill -9 recovery of Akka.Persistence.Sql on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresCrashRecoveryTests(PostgresServer server, ITestOutputHelper output) : CrashRecoveryTests(output)
{
    protected override async Task<PluginStorage> CreateStorageAsync() =>
        new PostgresStorage(await server.CreateDatabaseAsync());
}
