using System.Text.Json;
using ActorStore.EndToEnd.Cluster;
using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd.Backup;

/// <summary>
/// Snapshots across the two stores: `etcdctl snapshot save` from ActorStore gives a file etcd's own tools read
/// (`snapshot status` as for etcd's snapshot of the same writes, `snapshot restore` into a data dir real etcd 3.4.23
/// then serves, history included), and a snapshot of real etcd restored into three members (with `actorstore snapshot
/// restore`, or `etcdctl snapshot restore` as for etcd) serves what etcd served.
/// </summary>
public sealed class SnapshotTests
{
    [Fact]
    public async Task Etcdctl_saves_a_snapshot_whose_status_matches_etcds_and_that_real_etcd_restores_and_serves()
    {
        using var files = new TempDir();
        var (actorStore, etcd) = await PairFixture.StartBothAsync(kind => MemberNode.StartAsync(kind));
        await using (actorStore)
        await using (etcd)
        {
            foreach (var node in new[] { actorStore, etcd })
            {
                await WriteHistoryAsync(node.Etcdctl);
            }

            var ours = Path.Combine(files.Path, "actorstore.db");
            var theirs = Path.Combine(files.Path, "etcd.db");
            CommandResult.AssertOk(await actorStore.Etcdctl.RunAsync("snapshot", "save", ours));
            CommandResult.AssertOk(await etcd.Etcdctl.RunAsync("snapshot", "save", theirs));

            var (ourStatus, theirStatus) = (await StatusAsync(actorStore.Etcdctl, ours), await StatusAsync(etcd.Etcdctl, theirs));
            Assert.Equal((theirStatus.Revision, theirStatus.TotalKey), (ourStatus.Revision, ourStatus.TotalKey));
            Assert.True(ourStatus.TotalSize > 0 && ourStatus.TotalSize % 4096 == 0, $"total size {ourStatus.TotalSize}");
            var table = CommandResult.AssertOk(await actorStore.Etcdctl.RunAsync("snapshot", "status", ours, "-w", "table")).StdOut;
            Assert.Contains("|   HASH   | REVISION | TOTAL KEYS | TOTAL SIZE |", table);

            await using var restored = await MemberNode.StartAsync(MemberKind.Etcd);
            await restored.Process.StopAsync();
            Directory.Delete(restored.DataDir, recursive: true);
            CommandResult.AssertOk(await restored.Etcdctl.RunAsync(
                "snapshot", "restore", ours, "--data-dir", restored.DataDir, "--name", "n1",
                "--initial-cluster", "n1=" + restored.PeerUrl, "--initial-advertise-peer-urls", restored.PeerUrl));
            await restored.StartProcessAsync();

            foreach (var read in new[] { new[] { "get", "", "--prefix" }, ["get", "", "--prefix", "--rev=5"], ["get", "k1", "--rev=2"] })
            {
                var expected = await actorStore.Etcdctl.RunAsync([.. read, "-w", "json"]);
                var actual = await restored.Etcdctl.RunAsync([.. read, "-w", "json"]);
                Assert.Equal(Kvs(expected), Kvs(actual));
            }
        }
    }

    [Fact]
    public async Task A_snapshot_of_real_etcd_restored_into_three_members_by_actorstore_and_by_etcdctl_serves_the_same_keys_and_history()
    {
        using var files = new TempDir();
        var snapshot = Path.Combine(files.Path, "etcd.db");
        await using var etcd = await MemberNode.StartAsync(MemberKind.Etcd);
        await WriteHistoryAsync(etcd.Etcdctl);
        CommandResult.AssertOk(await etcd.Etcdctl.RunAsync("snapshot", "save", snapshot));
        foreach (var format in new[] { "simple", "table", "json" })
        {
            Assert.Equal(
                CommandResult.AssertOk(await etcd.Etcdctl.RunAsync("snapshot", "status", snapshot, "-w", format)).StdOut,
                CommandResult.AssertOk(await ActorStoreAsync("snapshot", "status", snapshot, "-w", format)).StdOut);
        }

        await using var cluster = await ClusterNodes.StartAsync(MemberKind.ActorStore);
        foreach (var member in cluster.Members)
        {
            await member.StopAsync();
            Directory.Delete(member.DataDir, recursive: true);
            string[] restore =
            [
                "snapshot", "restore", snapshot, "--data-dir", member.DataDir, "--name", member.Name,
                "--initial-cluster", member.InitialCluster, "--initial-cluster-token", member.InitialClusterToken,
                "--initial-advertise-peer-urls", member.PeerUrl,
            ];

            // The last member starts on the data dir etcdctl's own restore makes, as an etcd member would.
            CommandResult.AssertOk(member == cluster.Members[^1] ? await etcd.Etcdctl.RunAsync(restore) : await ActorStoreAsync(restore));
        }

        await Task.WhenAll(cluster.Members.Select(member => member.StartAsync(ClusterNodes.StartTimeout)));
        foreach (var member in cluster.Members)
        {
            foreach (var read in new[] { new[] { "get", "", "--prefix" }, ["get", "", "--prefix", "--rev=5"], ["get", "k1", "--rev=2"] })
            {
                Assert.Equal(Kvs(await etcd.Etcdctl.RunAsync([.. read, "-w", "json"])), Kvs(await member.Etcdctl.RunAsync([.. read, "--consistency=s", "-w", "json"])));
            }
        }

        Assert.Equal(
            CommandResult.AssertOk(await etcd.Etcdctl.RunAsync("lease", "list")).StdOut,
            CommandResult.AssertOk(await cluster.Etcdctl.RunAsync("lease", "list")).StdOut);
    }

    private static Task<CommandResult> ActorStoreAsync(params string[] args) =>
        ProcessRunner.RunAsync("dotnet", [RepoPaths.ActorStoreDll, .. args]);

    /// <summary>Puts, overwrites, a deletion, a key on a lease, and a compaction that leaves history behind it.</summary>
    private static async Task WriteHistoryAsync(Etcdctl etcdctl)
    {
        foreach (var (key, value) in new[] { ("k1", "a"), ("k2", "b"), ("k1", "c"), ("k3", "d"), ("k4", new string('x', 20_000)) })
        {
            CommandResult.AssertOk(await etcdctl.RunAsync("put", key, value));
        }

        CommandResult.AssertOk(await etcdctl.RunAsync("del", "k2"));
        var grant = CommandResult.AssertOk(await etcdctl.RunAsync("lease", "grant", "600")).StdOut.Split(' ')[1];
        CommandResult.AssertOk(await etcdctl.RunAsync("put", "leased", "e", "--lease=" + grant));
        CommandResult.AssertOk(await etcdctl.RunAsync("compact", "3"));
    }

    private static async Task<(long Revision, long TotalKey, long TotalSize)> StatusAsync(Etcdctl etcdctl, string file)
    {
        using var status = JsonDocument.Parse(CommandResult.AssertOk(await etcdctl.RunAsync("snapshot", "status", file, "-w", "json")).StdOut);
        var root = status.RootElement;
        return (root.GetProperty("revision").GetInt64(), root.GetProperty("totalKey").GetInt64(), root.GetProperty("totalSize").GetInt64());
    }

    /// <summary>The kvs and count of a get answer, or its error.</summary>
    private static string Kvs(CommandResult result)
    {
        if (result.ExitCode != 0)
        {
            return string.Join('\n', result.StdErr.Split('\n').Where(line => line.StartsWith("Error:", StringComparison.Ordinal)));
        }

        using var answer = JsonDocument.Parse(result.StdOut);
        var root = answer.RootElement;
        return (root.TryGetProperty("kvs", out var kvs) ? kvs.GetRawText() : "[]") + " count " + root.GetProperty("count");
    }
}
