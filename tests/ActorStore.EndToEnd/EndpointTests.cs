using System.Text.Json;
using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd;

/// <summary>Status, member list, health and version of one member, read the way users read them.</summary>
public sealed class EndpointTests : IAsyncLifetime
{
    private MemberNode _node = null!;

    public async Task InitializeAsync() => _node = await MemberNode.StartAsync(MemberKind.ActorStore);

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Health_and_version_answer_etcds_json_on_the_client_port()
    {
        using var http = new HttpClient();
        Assert.Equal("{\"health\":\"true\"}", await http.GetStringAsync(_node.ClientUrl + "/health"));
        Assert.Equal("{\"etcdserver\":\"3.4.23\",\"etcdcluster\":\"3.4.0\"}", await http.GetStringAsync(_node.ClientUrl + "/version"));
        var health = await _node.Etcdctl.RunAsync("endpoint", "health");
        Assert.True(health.ExitCode == 0, health.ToString());
        Assert.Contains("is healthy", health.StdOut + health.StdErr);
    }

    [Fact]
    public async Task Status_names_this_member_the_leader_with_raft_indexes()
    {
        await _node.Etcdctl.RunAsync("put", "status/a", "1");
        var status = await _node.Etcdctl.RunAsync("endpoint", "status", "-w", "json");
        Assert.True(status.ExitCode == 0, status.ToString());
        var body = JsonDocument.Parse(status.StdOut).RootElement[0].GetProperty("Status");
        var header = body.GetProperty("header");
        Assert.Equal(header.GetProperty("member_id").GetUInt64(), body.GetProperty("leader").GetUInt64());
        Assert.Equal("3.4.23", body.GetProperty("version").GetString());
        Assert.True(body.GetProperty("raftIndex").GetInt64() >= 1);
        Assert.Equal(body.GetProperty("raftIndex").GetInt64(), body.GetProperty("raftAppliedIndex").GetInt64());
        Assert.True(body.GetProperty("dbSize").GetInt64() > 0);
        Assert.False(body.TryGetProperty("isLearner", out _));
        var table = await _node.Etcdctl.RunAsync("endpoint", "status", "-w", "table");
        Assert.Contains("3.4.23", table.StdOut);
    }

    [Fact]
    public async Task Member_list_shows_the_one_member_with_etcds_ids()
    {
        var list = await _node.Etcdctl.RunAsync("member", "list", "-w", "json");
        Assert.True(list.ExitCode == 0, list.ToString());
        var root = JsonDocument.Parse(list.StdOut).RootElement;
        var member = root.GetProperty("members")[0];
        Assert.Equal("n1", member.GetProperty("name").GetString());
        Assert.Equal(_node.PeerUrl, member.GetProperty("peerURLs")[0].GetString());
        Assert.Equal(_node.ClientUrl, member.GetProperty("clientURLs")[0].GetString());
        Assert.Equal(root.GetProperty("header").GetProperty("member_id").GetUInt64(), member.GetProperty("ID").GetUInt64());
        var table = await _node.Etcdctl.RunAsync("member", "list");
        Assert.Contains("started, n1, " + _node.PeerUrl, table.StdOut);
    }

    [Fact]
    public async Task Defrag_answers_as_etcds_now_that_it_is_built()
    {
        var defrag = CommandResult.AssertOk(await _node.Etcdctl.RunAsync("defrag"));
        Assert.Equal($"Finished defragmenting etcd member[{_node.Etcdctl.Endpoint}]\n", defrag.StdOut);
    }
}
