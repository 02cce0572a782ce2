using System.Net;
using ActorStore.EndToEnd.Cluster;
using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd.V2;

/// <summary>
/// v2 keys in a three-member cluster: a set through one member is read through the others, TTL keys expire on every
/// member, and a member restarted after snapshots (a low --snapshot-count) still has every key. Real etcd runs the
/// same steps, to check the test.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class V2ClusterTests : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose() => _http.Dispose();

    private async Task<V2Answer> ValueOnAsync(ClusterMember member, string key, string expected) =>
        await Eventually.GetAsync(async () =>
        {
            var answer = await V2Http.SendAsync(_http, member.ClientUrl, "GET", "/v2/keys" + key);
            return answer.Status == HttpStatusCode.OK && answer.Json?["node"]?["value"]?.GetValue<string>() == expected ? answer : null;
        }, TimeSpan.FromSeconds(20), () => $"{key} = {expected} on {member.Name}");

    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task A_set_on_one_member_is_read_on_another_and_survives_a_restart_from_snapshot_and_journal(MemberKind kind)
    {
        await using var cluster = await ClusterNodes.StartAsync(kind, 3, "--enable-v2", "--snapshot-count", "20");
        var set = await V2Http.SendAsync(_http, cluster[0].ClientUrl, "PUT", "/v2/keys/cluster/flannel", ("value", "{\"Network\":\"10.0.0.0/8\"}"));
        Assert.Equal(HttpStatusCode.Created, set.Status);
        await ValueOnAsync(cluster[1], "/cluster/flannel", "{\"Network\":\"10.0.0.0/8\"}");
        var quorum = await V2Http.SendAsync(_http, cluster[2].ClientUrl, "GET", "/v2/keys/cluster/flannel?quorum=true");
        Assert.Equal(HttpStatusCode.OK, quorum.Status);

        // etcd's stats: every member describes itself; only the leader answers for its followers.
        var leaders = 0;
        foreach (var member in cluster.Members)
        {
            var self = await V2Http.SendAsync(_http, member.ClientUrl, "GET", "/v2/stats/self");
            Assert.Equal(HttpStatusCode.OK, self.Status);
            Assert.Equal(
                ["id", "leaderInfo", "name", "recvAppendRequestCnt", "sendAppendRequestCnt", "startTime", "state"],
                self.Json!.AsObject().Select(field => field.Key).Where(name => !name.EndsWith("Rate", StringComparison.Ordinal)).Order());
            Assert.Equal(member.Name, self.Json!["name"]!.GetValue<string>());
            var leader = await V2Http.SendAsync(_http, member.ClientUrl, "GET", "/v2/stats/leader");
            if (leader.Status == HttpStatusCode.OK)
            {
                leaders++;
                Assert.Equal("StateLeader", self.Json!["state"]!.GetValue<string>());
                Assert.Equal(self.Json!["id"]!.GetValue<string>(), leader.Json!["leader"]!.GetValue<string>());
                Assert.Equal(2, leader.Json!["followers"]!.AsObject().Count);
            }
            else
            {
                Assert.Equal(HttpStatusCode.Forbidden, leader.Status);
                Assert.Equal("not current leader", leader.Json!["message"]!.GetValue<string>());
                Assert.Equal("StateFollower", self.Json!["state"]!.GetValue<string>());
            }
        }
        Assert.Equal(1, leaders);

        // Enough writes for several snapshots, then the last few only in the journal.
        for (var i = 0; i < 45; i++)
        {
            await V2Http.SendAsync(_http, cluster[i % 3].ClientUrl, "POST", "/v2/keys/cluster/queue", ("value", "job" + i));
        }
        await V2Http.SendAsync(_http, cluster[0].ClientUrl, "PUT", "/v2/keys/cluster/ttl", ("value", "short"), ("ttl", "1"));
        await cluster.RestartAsync(2);
        await ValueOnAsync(cluster[2], "/cluster/flannel", "{\"Network\":\"10.0.0.0/8\"}");
        var queue = await Eventually.GetAsync(async () =>
        {
            var answer = await V2Http.SendAsync(_http, cluster[2].ClientUrl, "GET", "/v2/keys/cluster/queue?sorted=true");
            return answer.Json?["node"]?["nodes"]?.AsArray().Count == 45 ? answer : null;
        }, TimeSpan.FromSeconds(20), () => "45 queue entries on the restarted member");
        Assert.Equal("job0", queue.Json!["node"]!["nodes"]![0]!["value"]!.GetValue<string>());

        // The TTL key expired by the leader's sync, on every member.
        foreach (var member in cluster.Members)
        {
            await Eventually.GetAsync(async () =>
            {
                var answer = await V2Http.SendAsync(_http, member.ClientUrl, "GET", "/v2/keys/cluster/ttl");
                return answer.Status == HttpStatusCode.NotFound ? answer : null;
            }, TimeSpan.FromSeconds(20), () => "ttl key gone on " + member.Name);
        }
    }
}
