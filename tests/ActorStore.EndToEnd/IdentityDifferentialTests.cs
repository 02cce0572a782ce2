using System.Text.Json;
using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd;

/// <summary>Started with the same flags (ports included), ActorStore and etcd name the member and cluster alike.</summary>
public sealed class IdentityDifferentialTests
{
    [Fact]
    public async Task Same_flags_give_etcds_member_id_and_cluster_id()
    {
        var client = FreePorts.Next();
        var peer = FreePorts.Next();
        var etcd = await IdsAsync(MemberKind.Etcd, client, peer);
        var ours = await IdsAsync(MemberKind.ActorStore, client, peer);
        Assert.Equal(etcd, ours);
    }

    private static async Task<(ulong Member, ulong Cluster)> IdsAsync(MemberKind kind, int client, int peer)
    {
        using var dir = new TempDir();
        var clientUrl = $"http://127.0.0.1:{client}";
        var peerUrl = $"http://127.0.0.1:{peer}";
        string[] flags =
        [
            "--name", "same", "--data-dir", Path.Combine(dir.Path, "data"),
            "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
            "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
            "--initial-cluster", "same=" + peerUrl, "--initial-cluster-token", "identity-test",
        ];
        await using var process = kind == MemberKind.Etcd
            ? ServerProcess.Start("etcd", flags)
            : ServerProcess.Start("dotnet", [RepoPaths.ActorStoreDll, .. flags]);
        await process.WaitHealthyAsync(clientUrl + "/health", TimeSpan.FromSeconds(60));
        var list = await new Etcdctl(clientUrl).RunAsync("member", "list", "-w", "json");
        var header = JsonDocument.Parse(list.StdOut).RootElement.GetProperty("header");
        return (header.GetProperty("member_id").GetUInt64(), header.GetProperty("cluster_id").GetUInt64());
    }
}
