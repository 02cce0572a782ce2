using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd.Cluster;

/// <summary>
/// A three-member cluster as users first see it: status, health and member list agree; writes through any member
/// are read through every member; leadership moves on request. Each runs against real etcd and against ActorStore.
/// The tests share one cluster per kind and leave it whole.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterBasicsTests : IClassFixture<SharedClusters>
{
    private readonly SharedClusters _clusters;

    public ClusterBasicsTests(SharedClusters clusters)
    {
        _clusters = clusters;
    }

    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task Status_health_and_member_list_show_three_members_and_one_leader(MemberKind kind)
    {
        var cluster = await _clusters.GetAsync(kind);
        CommandResult.AssertOk(await cluster[0].Etcdctl.RunAsync("put", "basics/status", "1"));

        var statuses = await cluster.WaitForSameRaftIndexAsync();
        Assert.Equal(cluster.Endpoints.Order(), statuses.Select(status => status.Endpoint).Order());
        Assert.Single(statuses, status => status.IsLeader);
        Assert.Equal(3, statuses.Select(status => status.MemberId).Distinct().Count());
        Assert.All(statuses, status => Assert.False(status.IsLearner));
        Assert.Single(statuses.Select(status => status.Revision).Distinct());

        // The table users look at: one leader, one raft index.
        var table = CommandResult.AssertOk(await cluster.Etcdctl.RunAsync("endpoint", "status", "-w", "table"));
        var rows = TableRows(table.StdOut);
        Assert.Equal(3, rows.Count);
        Assert.Single(rows, row => row[4] == "true");
        Assert.Single(rows.Select(row => row[7]).Distinct());

        var health = CommandResult.AssertOk(await cluster.Etcdctl.RunAsync("endpoint", "health"));
        foreach (var endpoint in cluster.Endpoints)
        {
            Assert.Contains(endpoint + " is healthy: successfully committed proposal", health.StdOut + health.StdErr);
        }

        var members = await cluster.MemberListAsync();
        Assert.Equal(new[] { "m1", "m2", "m3" }, members.Select(member => member.Name).Order());
        foreach (var member in cluster.Members)
        {
            var listed = Assert.Single(members, info => info.Name == member.Name);
            Assert.Equal(new[] { member.PeerUrl }, listed.PeerUrls);
            Assert.Equal(new[] { member.ClientUrl }, listed.ClientUrls);
            Assert.False(listed.IsLearner);
            Assert.Equal(statuses.Single(status => status.Endpoint == member.ClientUrl).MemberId, listed.Id);
        }
        var simple = CommandResult.AssertOk(await cluster.Etcdctl.RunAsync("member", "list"));
        Assert.Equal(3, simple.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(line => line.Contains(", started, m")));

        var alarms = CommandResult.AssertOk(await cluster.Etcdctl.RunAsync("alarm", "list"));
        Assert.Equal("", alarms.StdOut);
    }

    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task Writes_through_each_member_are_read_through_every_member(MemberKind kind)
    {
        var cluster = await _clusters.GetAsync(kind);
        var written = new List<(string Key, string Value, long Revision)>();
        foreach (var member in cluster.Members)
        {
            var key = "basics/rw/" + member.Name;
            var put = CommandResult.AssertOk(await member.Etcdctl.RunAsync("put", key, "through-" + member.Name, "-w", "json"));
            written.Add((key, "through-" + member.Name, KvJson.HeaderRevision(put.StdOut)));
        }
        Assert.Equal(written.Select(write => write.Revision).Order(), written.Select(write => write.Revision));
        Assert.Equal(3, written.Select(write => write.Revision).Distinct().Count());

        foreach (var member in cluster.Members)
        {
            // A linearizable read first: once it answered, the member has applied every write, so the
            // serializable read after it (served from the member's own state) must see them all too.
            foreach (var consistency in new[] { "--consistency=l", "--consistency=s" })
            {
                var get = CommandResult.AssertOk(await member.Etcdctl.RunAsync("get", "basics/rw/", "--prefix", consistency, "-w", "json"));
                var kvs = KvJson.KeyValues(get.StdOut);
                Assert.True(written.Count == kvs.Count, $"{member.Name} {consistency}: {get}");
                foreach (var (key, value, revision) in written)
                {
                    Assert.Equal((value, revision), kvs[key]);
                }
            }
        }
    }

    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task Move_leader_hands_leadership_to_the_named_follower(MemberKind kind)
    {
        var cluster = await _clusters.GetAsync(kind);
        var leader = await cluster.LeaderAsync();
        var statuses = await cluster.WaitForSameRaftIndexAsync();
        var follower = cluster.Members.First(member => member != leader);
        var leaderId = statuses.Single(status => status.Endpoint == leader.ClientUrl).MemberId.ToString("x");
        var followerId = statuses.Single(status => status.Endpoint == follower.ClientUrl).MemberId.ToString("x");

        var moved = CommandResult.AssertOk(await cluster.Etcdctl.RunAsync("move-leader", followerId));
        Assert.Contains($"Leadership transferred from {leaderId} to {followerId}", moved.StdOut);
        Assert.Same(follower, await cluster.LeaderAsync());

        // The cluster goes on taking writes through the member that stepped down.
        CommandResult.AssertOk(await leader.Etcdctl.RunAsync("put", "basics/moved", followerId));
        var after = await cluster.WaitForSameRaftIndexAsync();
        Assert.Single(after, status => status.IsLeader && status.Endpoint == follower.ClientUrl);
    }

    private static List<string[]> TableRows(string table) =>
        table.Split('\n')
            .Where(line => line.StartsWith("| http", StringComparison.Ordinal))
            .Select(line => line.Split('|', StringSplitOptions.TrimEntries)[1..^1])
            .ToList();
}
