using ActorStore.EndToEnd.Cluster;
using ActorStore.EndToEnd.Infrastructure;
using ActorStore.Tests.Shared;
using Xunit;

namespace ActorStore.EndToEnd;

/// <summary>
/// Three members whose WALs are on PostgreSQL, one database each, chosen in a HOCON --config-file per member as an
/// operator would: the cluster forms, writes replicate, the leader is killed with SIGKILL while writes go on through
/// the others, and once it is back every member holds every acknowledged write at its revision.
/// </summary>
public sealed class SqlPluginClusterTests : IClassFixture<PostgresServer>
{
    private readonly PostgresServer _postgres;

    public SqlPluginClusterTests(PostgresServer postgres) => _postgres = postgres;

    [Fact]
    public async Task A_three_member_cluster_on_the_sql_plugin_keeps_every_acknowledged_write_through_a_leader_kill()
    {
        using var configs = new TempDir();
        var configFiles = new Dictionary<string, string>();
        foreach (var name in new[] { "m1", "m2", "m3" })
        {
            var connection = await _postgres.CreateDatabaseAsync();
            var file = Path.Combine(configs.Path, name + ".hocon");
            await File.WriteAllTextAsync(file,
                $"actorstore.persistence.journal {{ plugin = sql, connection-string = \"{connection.Replace("\"", "\\\"", StringComparison.Ordinal)}\" }}\n");
            configFiles[name] = file;
        }
        await using var cluster = await ClusterNodes.StartAsync(MemberKind.ActorStore, new ClusterSpec
        {
            MemberArgs = name => configFiles.TryGetValue(name, out var file) ? ["--config-file", file] : [],
        });

        var acknowledged = new List<(string Key, long Revision)>();
        await PutAsync(cluster.Members, "before", acknowledged);
        var leader = await cluster.LeaderAsync();
        await leader.KillHardAsync();
        var survivors = cluster.Members.Where(member => member != leader).ToArray();
        await PutAsync(survivors, "during", acknowledged);
        await cluster.RestoreAsync(leader);
        await PutAsync(cluster.Members, "after", acknowledged);
        await cluster.WaitForSameRaftIndexAsync();

        foreach (var member in cluster.Members)
        {
            foreach (var (key, revision) in acknowledged)
            {
                var get = await member.Etcdctl.RunAsync("get", key, "--consistency=s", "-w", "json");
                Assert.True(get.ExitCode == 0, $"{member.Name}: {get}");
                Assert.Equal(revision, KvJson.KeyValues(get.StdOut)[key].ModRevision);
            }
            // The log is in PostgreSQL, not in the data dir.
            Assert.False(File.Exists(Path.Combine(member.DataDir, "member", "journal.db")), member.Name);
        }
    }

    /// <summary>Three puts through each of <paramref name="members"/>, retried while a new leader is being elected.</summary>
    private static async Task PutAsync(IReadOnlyList<ClusterMember> members, string phase, List<(string Key, long Revision)> acknowledged)
    {
        foreach (var member in members)
        {
            for (var i = 0; i < 3; i++)
            {
                var key = $"sql-cluster/{phase}/{member.Name}/{i}";
                var put = await Eventually.GetAsync(
                    async () => await member.Etcdctl.RunAsync("put", key, "v", "-w", "json") is { ExitCode: 0 } done ? done : null,
                    TimeSpan.FromSeconds(30),
                    () => $"a put of {key} through {member.Name}");
                acknowledged.Add((key, KvJson.HeaderRevision(put.StdOut)));
            }
        }
    }
}
