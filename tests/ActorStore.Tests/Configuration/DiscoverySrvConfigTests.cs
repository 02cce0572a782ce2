using ActorStore.Discovery;
using Xunit;
using static ActorStore.Tests.Configuration.ConfigTestKit;

namespace ActorStore.Tests.Configuration;

/// <summary>--discovery-srv is accepted: the initial cluster is left to DNS, which the member asks once it starts.</summary>
public sealed class DiscoverySrvConfigTests
{
    [Fact]
    public void Discovery_srv_loads_without_an_initial_cluster_and_without_warnings()
    {
        var loaded = Loaded(Load("--name", "infra0", "--discovery-srv", "example.com", "--discovery-srv-name", "prod",
            "--initial-advertise-peer-urls", "https://infra0.example.com:2380", "--listen-peer-urls", "https://10.0.1.10:2380",
            "--peer-auto-tls"));

        Assert.Equal("example.com", loaded.Config.DiscoverySrv);
        Assert.Equal("prod", loaded.Config.DiscoverySrvName);
        Assert.Empty(loaded.Config.InitialClusterMembers);
        Assert.Empty(loaded.FlagsWithoutEffectYet);
    }

    [Fact]
    public void Discovery_srv_with_an_initial_cluster_is_refused_as_etcd_refuses_it()
    {
        var failed = Failed(Load("--discovery-srv", "example.com", "--initial-cluster", "default=http://localhost:2380"));

        Assert.Equal("multiple discovery or bootstrap flags are set. Choose one of \"initial-cluster\", \"discovery\" or \"discovery-srv\"", failed.Message);
    }

    [Fact]
    public void A_dns_server_that_is_not_address_and_port_is_an_error()
    {
        var error = Assert.Throws<FormatException>(() => SrvClusterDiscovery.Create(Environment(("ACTORSTORE_DNS_SERVER", "dns.example"))));

        Assert.Equal("ACTORSTORE_DNS_SERVER=dns.example is not an address:port", error.Message);
    }
}
