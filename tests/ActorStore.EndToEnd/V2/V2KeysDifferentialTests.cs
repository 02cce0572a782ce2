using System.Net;
using Xunit;

namespace ActorStore.EndToEnd.V2;

/// <summary>
/// The v2 keys API against real etcd 3.4.23 with --enable-v2, with the seeds' curl requests: statuses, the v2 headers
/// and the JSON bodies must match once indexes, times and in-order key names are set aside. Each test has its own
/// keys; the pair is shared and the tests run one after another.
/// </summary>
[Collection("differential")]
public sealed class V2KeysDifferentialTests(V2PairFixture pair) : IClassFixture<V2PairFixture>, IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose() => _http.Dispose();

    /// <summary>The same request to both servers; the answers must agree.</summary>
    private async Task<(V2Answer Etcd, V2Answer ActorStore)> Same(string method, string pathAndQuery, params (string, string)[] form)
    {
        var etcd = await V2Http.SendAsync(_http, pair.Etcd.ClientUrl, method, pathAndQuery, form);
        var actorStore = await V2Http.SendAsync(_http, pair.ActorStore.ClientUrl, method, pathAndQuery, form);
        AssertSame(method + " " + pathAndQuery, etcd, actorStore);
        return (etcd, actorStore);
    }

    private static void AssertSame(string what, V2Answer etcd, V2Answer actorStore)
    {
        Assert.True(etcd.Status == actorStore.Status, $"{what}: etcd {etcd} but ActorStore {actorStore}");
        Assert.True(
            etcd.Headers.Keys.Order().SequenceEqual(actorStore.Headers.Keys.Order(), StringComparer.OrdinalIgnoreCase),
            $"{what}: headers etcd {etcd} but ActorStore {actorStore}");
        Assert.Equal(V2Normalizer.Normalize(etcd.Json), V2Normalizer.Normalize(actorStore.Json));
    }

    [Fact]
    public async Task Set_get_and_delete_show_prev_nodes_as_etcd()
    {
        var created = await Same("PUT", "/v2/keys/basic/message", ("value", "Hello world"));
        Assert.Equal(HttpStatusCode.Created, created.ActorStore.Status);
        await Same("PUT", "/v2/keys/basic/message", ("value", "Hello etcd"));
        await Same("GET", "/v2/keys/basic/message");
        await Same("GET", "/v2/keys/basic/message?quorum=true");
        await Same("GET", "/v2/keys/basic");
        await Same("DELETE", "/v2/keys/basic/message");
        await Same("GET", "/v2/keys/basic/message");
        await Same("GET", "/v2/keys/basic/message/below");
        await Same("PUT", "/v2/keys/basic/message/below", ("value", "x"));
        await Same("DELETE", "/v2/keys/basic");
        await Same("DELETE", "/v2/keys/basic?dir=true");
        await Same("PUT", "/v2/keys/basic", ("value", "x"));
        await Same("PUT", "/v2/keys/", ("value", "x"));
        await Same("GET", "/v2/keys/basic?recursive=maybe");
        await Same("PUT", "/v2/keys/basic/n?noValueOnSuccess=true", ("value", "x"));
        await Same("PATCH", "/v2/keys/basic/n");
    }

    [Fact]
    public async Task Ttls_refresh_and_expire_as_etcd()
    {
        await Same("PUT", "/v2/keys/ttl/foo", ("value", "bar"), ("ttl", "100"));
        await Same("GET", "/v2/keys/ttl/foo");
        await Same("PUT", "/v2/keys/ttl/foo", ("ttl", "200"), ("refresh", "true"), ("prevExist", "true"));
        await Same("PUT", "/v2/keys/ttl/foo", ("value", "x"), ("ttl", "200"), ("refresh", "true"));
        await Same("PUT", "/v2/keys/ttl/foo", ("refresh", "true"));
        await Same("PUT", "/v2/keys/ttl/foo", ("value", "bar"), ("ttl", "abc"));
        await Same("PUT", "/v2/keys/ttl/foo", ("value", "bar"), ("ttl", ""), ("prevExist", "true"));
        await Same("GET", "/v2/keys/ttl/foo");

        await Same("PUT", "/v2/keys/ttl/short", ("value", "gone soon"), ("ttl", "1"));
        // etcd's leader expires keys by its clock every half second; give both a few of those.
        await Task.Delay(TimeSpan.FromSeconds(3));
        await Same("GET", "/v2/keys/ttl/short");
    }

    [Fact]
    public async Task Ttl_directories_expire_with_their_keys()
    {
        await Same("PUT", "/v2/keys/ttldir/dir", ("ttl", "30"), ("dir", "true"));
        await Same("PUT", "/v2/keys/ttldir/dir/key", ("value", "v"));
        await Same("PUT", "/v2/keys/ttldir/dir", ("ttl", "1"), ("dir", "true"), ("prevExist", "true"));
        await Same("GET", "/v2/keys/ttldir/dir?recursive=true");
        await Task.Delay(TimeSpan.FromSeconds(3));
        await Same("GET", "/v2/keys/ttldir/dir/key");
        await Same("GET", "/v2/keys/ttldir/dir");
    }

    [Fact]
    public async Task A_post_queue_lists_in_order_with_a_sorted_recursive_get()
    {
        await Same("POST", "/v2/keys/queue", ("value", "Job1"));
        await Same("POST", "/v2/keys/queue", ("value", "Job2"));
        await Same("POST", "/v2/keys/queue", ("value", "Job3"), ("ttl", "60"));
        await Same("GET", "/v2/keys/queue?recursive=true&sorted=true");
        await Same("PUT", "/v2/keys/queue/dir/a", ("value", "x"));
        await Same("GET", "/v2/keys/queue?sorted=true");
        await Same("DELETE", "/v2/keys/queue?recursive=true");
    }

    [Fact]
    public async Task Compare_and_swap_and_compare_and_delete_answer_as_etcd()
    {
        await Same("PUT", "/v2/keys/cas/foo", ("value", "one"));
        await Same("PUT", "/v2/keys/cas/foo?prevExist=false", ("value", "three"));
        await Same("PUT", "/v2/keys/cas/foo?prevValue=two", ("value", "three"));
        await Same("PUT", "/v2/keys/cas/foo?prevIndex=999999", ("value", "three"));
        await Same("PUT", "/v2/keys/cas/foo?prevValue=one", ("value", "two"));
        await Same("PUT", "/v2/keys/cas/foo?prevValue=", ("value", "two"));
        await Same("PUT", "/v2/keys/cas/foo?prevIndex=x", ("value", "two"));
        await Same("PUT", "/v2/keys/cas/bar?prevExist=true", ("value", "x"));
        await Same("PUT", "/v2/keys/cas/foo", ("value", "four"), ("prevExist", "true"));
        await Same("DELETE", "/v2/keys/cas/foo?prevValue=one");
        await Same("DELETE", "/v2/keys/cas/foo?prevValue=four");
        await Same("PUT", "/v2/keys/cas/dir?dir=true");
        await Same("PUT", "/v2/keys/cas/dir?dir=true");
        await Same("PUT", "/v2/keys/cas/dir?prevValue=x", ("value", "y"));
    }

    [Fact]
    public async Task A_waiting_watch_is_answered_by_a_later_set()
    {
        await Same("PUT", "/v2/keys/watch/foo", ("value", "before"));
        var etcdWatch = V2Http.SendAsync(_http, pair.Etcd.ClientUrl, "GET", "/v2/keys/watch/foo?wait=true");
        var actorStoreWatch = V2Http.SendAsync(_http, pair.ActorStore.ClientUrl, "GET", "/v2/keys/watch/foo?wait=true");
        var recursiveEtcd = V2Http.SendAsync(_http, pair.Etcd.ClientUrl, "GET", "/v2/keys/watch?wait=true&recursive=true");
        var recursiveActorStore = V2Http.SendAsync(_http, pair.ActorStore.ClientUrl, "GET", "/v2/keys/watch?wait=true&recursive=true");
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.False(etcdWatch.IsCompleted || actorStoreWatch.IsCompleted);

        await Same("PUT", "/v2/keys/watch/foo", ("value", "after"));
        AssertSame("watch", await etcdWatch, await actorStoreWatch);
        AssertSame("recursive watch", await recursiveEtcd, await recursiveActorStore);
        Assert.Equal("after", (await actorStoreWatch).Json!["node"]!["value"]!.GetValue<string>());

        // A waitIndex in the past is answered from the history at once (or cleared, on both, after the history test).
        await Same("GET", "/v2/keys/watch/foo?wait=true&waitIndex=1&recursive=false");
        await Same("POST", "/v2/keys/watch/foo?wait=true", ("value", "x"));
    }

    [Fact]
    public async Task A_streaming_watch_sends_every_change_on_one_response()
    {
        await Same("PUT", "/v2/keys/stream/k", ("value", "0"));
        var lines = new List<string>();
        foreach (var url in new[] { pair.Etcd.ClientUrl, pair.ActorStore.ClientUrl })
        {
            using var watch = await _http.GetAsync(url + "/v2/keys/stream?wait=true&recursive=true&stream=true", HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, watch.StatusCode);
            using var reader = new StreamReader(await watch.Content.ReadAsStreamAsync());
            await V2Http.SendAsync(_http, url, "PUT", "/v2/keys/stream/k", ("value", "1"));
            await V2Http.SendAsync(_http, url, "DELETE", "/v2/keys/stream/k");
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            for (var i = 0; i < 2; i++)
            {
                var line = await reader.ReadLineAsync(timeout.Token);
                lines.Add(V2Normalizer.Normalize(System.Text.Json.Nodes.JsonNode.Parse(line!)));
            }
        }
        Assert.Equal(lines[..2], lines[2..]);
        Assert.Contains("\"action\":\"delete\"", lines[3]);
    }

    [Fact]
    public async Task A_wait_index_older_than_the_last_thousand_events_is_cleared()
    {
        for (var i = 0; i < 1010; i++)
        {
            var value = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Task.WhenAll(
                V2Http.SendAsync(_http, pair.Etcd.ClientUrl, "PUT", "/v2/keys/history/k", ("value", value)),
                V2Http.SendAsync(_http, pair.ActorStore.ClientUrl, "PUT", "/v2/keys/history/k", ("value", value)));
        }
        var (_, actorStore) = await Same("GET", "/v2/keys/history/k?wait=true&waitIndex=1");
        Assert.Equal(HttpStatusCode.BadRequest, actorStore.Status);
        Assert.Equal(401, actorStore.Json!["errorCode"]!.GetValue<int>());
    }

    [Fact]
    public async Task Members_machines_and_store_stats_answer_as_etcds()
    {
        await Same("PUT", "/v2/keys/stats/k", ("value", "v"));
        var statNames = new List<string[]>();
        foreach (var node in new[] { pair.Etcd, pair.ActorStore })
        {
            var members = await V2Http.SendAsync(_http, node.ClientUrl, "GET", "/v2/members");
            Assert.Equal(HttpStatusCode.OK, members.Status);
            Assert.True(members.Headers.ContainsKey("X-Etcd-Cluster-ID"), members.ToString());
            var listed = Assert.Single(members.Json!["members"]!.AsArray())!;
            Assert.Equal("n1", listed["name"]!.GetValue<string>());
            Assert.Equal(node.ClientUrl, listed["clientURLs"]![0]!.GetValue<string>());
            Assert.Equal(node.PeerUrl, listed["peerURLs"]![0]!.GetValue<string>());
            var leader = await V2Http.SendAsync(_http, node.ClientUrl, "GET", "/v2/members/leader");
            Assert.Equal(listed["id"]!.GetValue<string>(), leader.Json!["id"]!.GetValue<string>());

            var machines = await V2Http.SendAsync(_http, node.ClientUrl, "GET", "/v2/machines");
            Assert.Equal(node.ClientUrl, machines.Body);

            var stats = await V2Http.SendAsync(_http, node.ClientUrl, "GET", "/v2/stats/store");
            var counts = stats.Json!.AsObject();
            Assert.True(counts["setsSuccess"]!.GetValue<ulong>() >= 1, stats.ToString());
            statNames.Add(counts.Select(field => field.Key).ToArray());
        }
        Assert.Equal(statNames[0], statNames[1]);
        await Same("GET", "/v2/members/nobody");
        await Same("DELETE", "/v2/members/zz");
    }

    /// <summary>Changes that leave the one-member cluster whole: an update to the same URLs, and refusals.</summary>
    [Fact]
    public async Task Member_changes_through_v2_answer_as_etcds()
    {
        foreach (var node in new[] { pair.Etcd, pair.ActorStore })
        {
            var id = (await V2Http.SendAsync(_http, node.ClientUrl, "GET", "/v2/members")).Json!["members"]![0]!["id"]!.GetValue<string>();
            var answers = new List<string>
            {
                await MembersAsync(node, "PUT", "/v2/members/" + id, $"{{\"peerURLs\":[\"{node.PeerUrl}\"]}}"),
                await MembersAsync(node, "POST", "/v2/members", $"{{\"peerURLs\":[\"{node.PeerUrl}\"]}}"),
                await MembersAsync(node, "POST", "/v2/members", "peerURLs=x", "application/x-www-form-urlencoded"),
                // Go's JSON decoder words its own message: only the status is compared.
                (await MembersAsync(node, "POST", "/v2/members", "{not json"))[..3],
                await MembersAsync(node, "DELETE", "/v2/members/1234abcd", ""),
                await MembersAsync(node, "DELETE", "/v2/members", ""),
            };
            _memberAnswers.Add(answers.Select(answer => answer.Replace(node.PeerUrl, "PEER").Replace(id, "ID")).ToArray());
        }
        Assert.Equal(_memberAnswers[0], _memberAnswers[1]);
    }

    private readonly List<string[]> _memberAnswers = [];

    private async Task<string> MembersAsync(Infrastructure.MemberNode node, string method, string path, string body, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), node.ClientUrl + path);
        if (body.Length > 0)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        }
        using var response = await _http.SendAsync(request);
        var text = (await response.Content.ReadAsStringAsync()).Trim();
        return $"{(int)response.StatusCode} {(text.StartsWith('{') ? V2Normalizer.Normalize(System.Text.Json.Nodes.JsonNode.Parse(text)) : text)}";
    }
}
