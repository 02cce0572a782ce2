using ActorStore.EndToEnd.Cluster;
using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd.Discovery;

/// <summary>
/// --discovery-srv: three members find each other through DNS SRV records served by dnsmasq, as etcd's members do,
/// and etcdctl --discovery-srv finds them through _etcd-client._tcp records. Real etcd 3.4.23 runs the same setups to
/// check the tests.
/// </summary>
public sealed class SrvDiscoveryTests
{
    [Fact]
    public async Task Members_with_http_peers_bootstrap_from_etcd_server_records()
    {
        await using var cluster = await SrvBootstrapCluster.LaunchAsync(MemberKind.ActorStore, new SrvSetup { PeerScheme = "http" });

        await AssertServesAsync(cluster);
    }

    [Theory]
    [InlineData(MemberKind.ActorStore)]
    [InlineData(MemberKind.Etcd)]
    public async Task Members_with_https_peers_bootstrap_from_etcd_server_ssl_records_named_by_discovery_srv_name(MemberKind kind)
    {
        await using var cluster = await SrvBootstrapCluster.LaunchAsync(kind, new SrvSetup { PeerScheme = "https", ServiceName = "prod" });

        await AssertServesAsync(cluster);
    }

    [Fact]
    public async Task Etcd_3_4_23_uses_no_etcd_server_records_where_actorstore_does()
    {
        await using var cluster = await SrvBootstrapCluster.LaunchAsync(MemberKind.Etcd, new SrvSetup { PeerScheme = "http" });

        var first = cluster.Processes[0];
        await first.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.NotEqual(0, first.ExitCode);
        Assert.Contains($"error querying DNS SRV records for _etcd-server-ssl lookup _etcd-server-ssl._tcp.{SrvBootstrapCluster.Domain}", first.Output);
    }

    [Theory]
    [InlineData(MemberKind.ActorStore)]
    [InlineData(MemberKind.Etcd)]
    public async Task A_member_missing_from_the_records_refuses_to_start(MemberKind kind)
    {
        await using var cluster = await SrvBootstrapCluster.LaunchAsync(kind, new SrvSetup { PeerScheme = "https", Unpublished = "m3" });

        var missing = cluster.Processes[2];
        await missing.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("cannot find local etcd member \\\"m3\\\" in SRV records", missing.Output);
        Assert.Contains("\"msg\":\"discovery failed\"", missing.Output);
    }

    private static async Task AssertServesAsync(SrvBootstrapCluster cluster)
    {
        try
        {
            await Task.WhenAll(SrvBootstrapCluster.Names.Select((name, i) =>
                cluster.Processes[i].WaitHealthyAsync(cluster.HealthUrl(name), ClusterNodes.StartTimeout)));
        }
        catch (Exception e)
        {
            throw new InvalidOperationException(e.Message + "\n" + cluster.Logs(), e);
        }

        // Each member publishes its name once the cluster runs; until then the others know it by a number, as in etcd.
        await Eventually.GetAsync(
            async () =>
            {
                var list = await cluster.EtcdctlAsync("member", "list");
                return list.ExitCode == 0 && SrvBootstrapCluster.Names.All(name =>
                    list.StdOut.Contains($", started, {name}, {cluster.PeerUrl(name)}, {cluster.ClientUrl(name)}, false", StringComparison.Ordinal))
                    ? list
                    : null;
            },
            ClusterNodes.SettleTimeout,
            () => "three started members named as their flags say\n" + cluster.Logs());
        var members = CommandResult.AssertOk(await cluster.EtcdctlAsync("member", "list")).StdOut;
        Assert.Equal(3, members.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        Assert.Equal("OK", CommandResult.AssertOk(await cluster.EtcdctlAsync("put", "found", "by-srv")).StdOut.Trim());
        Assert.Equal("found\nby-srv\n", CommandResult.AssertOk(await cluster.EtcdctlAsync("get", "found")).StdOut);
    }
}
