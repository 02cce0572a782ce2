using System.Text.Json;
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
        var acknowledged = new List<(string Key, string Value, long Revision)>();
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < 5; i++)
            {
                var key = $"sql/{round}/{i}";
                var put = await node.Etcdctl.RunAsync("put", key, "value-" + i, "-w", "json");
                Assert.True(put.ExitCode == 0, put.ToString());
                acknowledged.Add((key, "value-" + i, HeaderRevision(put.StdOut)));
            }
            await node.KillHardAsync();
            await node.RestartAsync();
            foreach (var (key, value, revision) in acknowledged)
            {
                var get = await node.Etcdctl.RunAsync("get", key, "-w", "json");
                Assert.True(get.ExitCode == 0, get.ToString());
                var kv = JsonDocument.Parse(get.StdOut).RootElement.GetProperty("kvs")[0];
                Assert.Equal(value, System.Text.Encoding.UTF8.GetString(kv.GetProperty("value").GetBytesFromBase64()));
                Assert.Equal(revision, kv.GetProperty("mod_revision").GetInt64());
            }
        }
        var last = await node.Etcdctl.RunAsync("put", "sql/after", "x", "-w", "json");
        Assert.Equal(acknowledged[^1].Revision + 1, HeaderRevision(last.StdOut));
        // Nothing of the log went to the data dir: it is all in PostgreSQL.
        Assert.False(File.Exists(Path.Combine(node.DataDir, "member", "journal.db")));
    }

    private static long HeaderRevision(string json) =>
        JsonDocument.Parse(json).RootElement.GetProperty("header").GetProperty("revision").GetInt64();
}
