using ActorStore.EndToEnd.Infrastructure;
using ActorStore.Tests.Shared;
using Xunit;

namespace ActorStore.EndToEnd;

/// <summary>
/// A member whose WAL is on PostgreSQL (actorstore.persistence.journal.plugin = sql, set through the environment):
/// kill -9 right after acknowledged writes, restart, and every write is there at its revision.
/// </summary>
public sealed class SqlPluginDurabilityTests : IClassFixture<PostgresServer>
{
    private readonly PostgresServer _postgres;

    public SqlPluginDurabilityTests(PostgresServer postgres) => _postgres = postgres;

    [Fact]
    public async Task Acknowledged_puts_survive_kill_9_on_the_sql_plugin()
    {
        var environment = new Dictionary<string, string>
        {
            ["ACTORSTORE_PERSISTENCE_JOURNAL_PLUGIN"] = "sql",
            ["ACTORSTORE_PERSISTENCE_JOURNAL_CONNECTION_STRING"] = await _postgres.CreateDatabaseAsync(),
        };
        await using var node = await MemberNode.StartAsync(MemberKind.ActorStore, environment);
        await KillRestartRounds.RunAsync(node, "sql", rounds: 2);
        // Nothing of the log went to the data dir: it is all in PostgreSQL.
        Assert.False(File.Exists(Path.Combine(node.DataDir, "member", "journal.db")));
    }
}
