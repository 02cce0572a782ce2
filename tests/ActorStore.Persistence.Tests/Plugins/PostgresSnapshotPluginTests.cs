namespace ActorStore.Persistence.Tests.Plugins;

using Xunit;
using Xunit.Abstractions;

/// <summary>The snapshot store conformance suite on Akka.Persistence.Sql with a real PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSnapshotPluginTests(PostgresServer server, ITestOutputHelper output)
    : SnapshotPluginConformanceTests(output)
{
    protected override bool HonoursLowerSequenceNrBound => false;

    protected override async Task<PluginStorage> CreateStorageAsync() =>
        new PostgresStorage(await server.CreateDatabaseAsync());
}
