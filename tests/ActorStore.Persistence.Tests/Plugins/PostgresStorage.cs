namespace ActorStore.Persistence.Tests.Plugins;

using Akka.Configuration;

/// <summary>Akka.Persistence.Sql on a fresh database of the test server, configured as a member would be.</summary>
public sealed class PostgresStorage(string connectionString) : PluginStorage
{
    public string ConnectionString => connectionString;

    public override Config Config => PersistenceHocon.Build(PersistenceHocon.Sql, connectionString, dataDir: null);

    public override (string Plugin, string Location) ProcessArguments => (PersistenceHocon.Sql, connectionString);

    // The database goes away with the server at the end of the run.
    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
