namespace ActorStore.Persistence.Tests.Plugins;

using Xunit;
using Xunit.Abstractions;

/// <summary>The journal conformance suite on Akka.Persistence.Sql with a real PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresJournalPluginTests(PostgresServer server, ITestOutputHelper output)
    : JournalPluginConformanceTests(output)
{
    protected override bool ReportsHighestBelowReplayStart => false;

    protected override bool KeepsManifestAndWriterGuid => false;

    protected override async Task<PluginStorage> CreateStorageAsync() =>
        new PostgresStorage(await server.CreateDatabaseAsync());
}
