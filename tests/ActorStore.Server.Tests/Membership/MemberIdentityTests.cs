using ActorStore.Server;
using ActorStore.Server.Membership;
using Xunit;

namespace ActorStore.Server.Tests.Membership;

public sealed class MemberIdentityTests
{
    // Read off a real etcd 3.4.23 started as --name e1 --initial-cluster e1=http://127.0.0.1:23800 (default token).
    [Fact]
    public void Ids_match_what_etcd_derives_from_the_same_flags()
    {
        var memberId = MemberIdentity.ComputeMemberId(["http://127.0.0.1:23800"], "etcd-cluster");
        Assert.Equal("2e1259d415f2a040", MemberIdentity.FormatId(memberId));
        Assert.Equal("48276a8f75b6a87", MemberIdentity.FormatId(MemberIdentity.ComputeClusterId([memberId])));
    }

    [Fact]
    public void Peer_url_order_does_not_change_the_member_id()
    {
        Assert.Equal(
            MemberIdentity.ComputeMemberId(["http://b:2380", "http://a:2380"], "t"),
            MemberIdentity.ComputeMemberId(["http://a:2380", "http://b:2380"], "t"));
        Assert.NotEqual(
            MemberIdentity.ComputeMemberId(["http://a:2380"], "t1"),
            MemberIdentity.ComputeMemberId(["http://a:2380"], "t2"));
    }

    [Fact]
    public void Bootstrap_refuses_a_name_missing_from_the_initial_cluster()
    {
        var options = Options("n2");
        var error = Assert.Throws<InvalidOperationException>(() => IdentityStore.Bootstrap(options));
        Assert.Equal("couldn't find local name \"n2\" in the initial cluster configuration", error.Message);
    }

    [Fact]
    public void Bootstrap_refuses_advertised_peer_urls_that_differ_from_the_initial_cluster()
    {
        var options = Options("n1") with { InitialAdvertisePeerUrls = ["http://127.0.0.1:9999"] };
        var error = Assert.Throws<InvalidOperationException>(() => IdentityStore.Bootstrap(options));
        Assert.StartsWith("--initial-cluster has n1=http://127.0.0.1:2380 but missing from --initial-advertise-peer-urls", error.Message);
    }

    [Fact]
    public void Request_ids_are_unique_and_carry_the_member_prefix()
    {
        var ids = new RequestIdGenerator(0xABCD_0000_0000_1234, DateTimeOffset.FromUnixTimeMilliseconds(1_000_000));
        var first = ids.Next();
        var second = ids.Next();
        Assert.NotEqual(first, second);
        Assert.Equal(0x1234UL, first >> 48);
    }

    private static MemberOptions Options(string name) => new()
    {
        Name = name,
        DataDir = "unused",
        AdvertiseClientUrls = ["http://127.0.0.1:2379"],
        InitialAdvertisePeerUrls = ["http://127.0.0.1:2380"],
        InitialCluster = new Dictionary<string, IReadOnlyList<string>> { ["n1"] = ["http://127.0.0.1:2380"] },
    };
}
