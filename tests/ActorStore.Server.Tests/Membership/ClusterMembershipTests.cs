using ActorStore.Protocol.Errors;
using ActorStore.Server.Membership;
using Xunit;

namespace ActorStore.Server.Tests.Membership;

public sealed class ClusterMembershipTests
{
    private static ClusterMember Member(ulong id, string url, bool learner = false) => new(id, "", [url], [], learner);

    [Fact]
    public void Members_are_listed_by_id_and_changes_follow_etcds_rules()
    {
        var membership = new ClusterMembership(7);
        membership.Add(Member(30, "http://c:2380"));
        membership.Add(Member(10, "http://a:2380"));
        membership.Add(Member(20, "http://b:2380", learner: true));
        Assert.Equal([10UL, 20UL, 30UL], membership.Members.Select(m => m.Id));
        Assert.Equal([10UL, 30UL], membership.VoterIds);

        Assert.Equal(EtcdErrors.MemberExist.Message, Assert.Throws<RpcException>(() => membership.Add(Member(10, "http://x:2380"))).Message);
        Assert.Equal(EtcdErrors.PeerURLExist.Message, Assert.Throws<RpcException>(() => membership.Add(Member(40, "http://a:2380"))).Message);
        Assert.Equal(EtcdErrors.MemberNotLearner.Message, Assert.Throws<RpcException>(() => membership.Promote(10)).Message);
        membership.Promote(20);
        Assert.False(membership.Find(20)!.IsLearner);

        membership.Remove(30);
        Assert.True(membership.IsRemoved(30));
        Assert.Equal(EtcdErrors.MemberNotFound.Message, Assert.Throws<RpcException>(() => membership.Remove(30)).Message);
        Assert.Equal(EtcdErrors.MemberExist.Message, Assert.Throws<RpcException>(() => membership.Add(Member(30, "http://c2:2380"))).Message);
    }

    [Fact]
    public void A_second_learner_is_refused_after_the_id_and_url_checks_as_etcd_orders_them()
    {
        var membership = new ClusterMembership(7);
        membership.Add(Member(10, "http://a:2380"));
        membership.Add(Member(20, "http://b:2380", learner: true));

        Assert.Equal(EtcdErrors.PeerURLExist.Message, Assert.Throws<RpcException>(() => membership.Add(Member(30, "http://b:2380", learner: true))).Message);
        Assert.Equal(EtcdErrors.TooManyLearners.Message, Assert.Throws<RpcException>(() => membership.Add(Member(30, "http://c:2380", learner: true))).Message);
        membership.Add(Member(30, "http://c:2380"));
        membership.Promote(20);
        membership.Add(Member(40, "http://d:2380", learner: true));
    }

    [Fact]
    public void Attributes_and_peer_urls_update_and_survive_a_round_trip()
    {
        var membership = new ClusterMembership(99);
        membership.Add(Member(1, "http://a:2380"));
        membership.Add(Member(2, "http://b:2380", learner: true));
        membership.SetAttributes(1, "n1", ["http://a:2379"]);
        membership.UpdatePeerUrls(2, ["http://b2:2380"]);
        membership.Remove(2);

        var copy = ClusterMembership.FromBytes(membership.ToBytes());
        Assert.Equal(99UL, copy.ClusterId);
        var only = Assert.Single(copy.Members);
        Assert.Equal("n1", only.Name);
        Assert.Equal(["http://a:2379"], only.ClientUrls);
        Assert.True(copy.IsRemoved(2));
    }

    [Fact]
    public void Conf_change_context_is_the_member_as_json_with_etcds_field_names()
    {
        var context = ClusterMembership.EncodeContext(new ClusterMember(5, "", ["http://p:2380"], [], true));
        Assert.Equal("{\"id\":5,\"peerURLs\":[\"http://p:2380\"],\"name\":\"\",\"clientURLs\":[],\"isLearner\":true}", System.Text.Encoding.UTF8.GetString(context));
        Assert.Equal(5UL, ClusterMembership.DecodeContext(context).Id);
    }
}
