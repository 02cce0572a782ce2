using System.Net;
using System.Text;
using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd.Http;

/// <summary>
/// The JSON gateway (/v3/*) against real etcd 3.4.23's, request by request with the seeds' curl bodies: answers must
/// match after ids, terms and ports are set aside, errors included. The tests share one pair of servers and run one
/// after another, each with its own keys, so that both servers always see the same history and the same revisions.
/// </summary>
[Collection("differential")]
public sealed class JsonGatewayDifferentialTests(PairFixture pair) : IClassFixture<PairFixture>, IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose() => _http.Dispose();

    private Task<(HttpAnswer Etcd, HttpAnswer ActorStore)> Same(string path, string body) => GatewayHttp.SameAsync(_http, pair, path, body);

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task Put_range_delete_and_txn_answer_as_etcd()
    {
        var foo = B64("kv/foo");
        await Same("/v3/kv/put", $"{{\"key\":\"{foo}\",\"value\":\"{B64("bar")}\"}}");
        await Same("/v3/kv/put", $"{{\"key\":\"{B64("kv/fop")}\",\"value\":\"{B64("baz")}\",\"prev_kv\":true}}");
        await Same("/v3/kv/put", $"{{\"key\":\"{foo}\",\"value\":\"{B64("bar2")}\",\"prev_kv\":true}}");
        await Same("/v3/kv/range", $"{{\"key\":\"{foo}\"}}");
        // With range_end: every key under kv/, then counts, limits and order as curl users ask for them.
        await Same("/v3/kv/range", $"{{\"key\":\"{B64("kv/")}\",\"range_end\":\"{B64("kv0")}\"}}");
        await Same("/v3/kv/range", $"{{\"key\":\"{B64("kv/")}\",\"range_end\":\"{B64("kv0")}\",\"count_only\":true}}");
        await Same("/v3/kv/range", $"{{\"key\":\"{B64("kv/")}\",\"range_end\":\"{B64("kv0")}\",\"limit\":1,\"sort_order\":\"DESCEND\",\"sort_target\":\"KEY\"}}");
        await Same("/v3/kv/range", $"{{\"key\":\"{B64("kv/none")}\"}}");
        // The v3beta prefix etcd 3.4 still answers.
        await Same("/v3beta/kv/range", $"{{\"key\":\"{foo}\",\"keys_only\":true}}");

        // Txn with etcd's CREATE and VERSION compares: the first creates, the second finds the key and takes failure.
        var create = $"{{\"compare\":[{{\"target\":\"CREATE\",\"key\":\"{B64("kv/txn")}\",\"create_revision\":\"0\"}}],"
            + $"\"success\":[{{\"request_put\":{{\"key\":\"{B64("kv/txn")}\",\"value\":\"{B64("1")}\"}}}}],"
            + $"\"failure\":[{{\"request_range\":{{\"key\":\"{B64("kv/txn")}\"}}}}]}}";
        await Same("/v3/kv/txn", create);
        await Same("/v3/kv/txn", create);
        await Same("/v3/kv/txn",
            $"{{\"compare\":[{{\"target\":\"VERSION\",\"key\":\"{foo}\",\"result\":\"GREATER\",\"version\":\"1\"}}],"
            + $"\"success\":[{{\"request_delete_range\":{{\"key\":\"{B64("kv/fop")}\",\"prev_kv\":true}}}}]}}");

        await Same("/v3/kv/deleterange", $"{{\"key\":\"{B64("kv/")}\",\"range_end\":\"{B64("kv0")}\",\"prev_kv\":true}}");
        // Unknown fields are ignored, as etcd's gateway ignores them.
        await Same("/v3/kv/range", $"{{\"key\":\"{foo}\",\"no_such_field\":1}}");
    }

    [Fact]
    public async Task Errors_answer_with_etcds_status_and_body()
    {
        // A compaction past the current revision: OutOfRange, 400, etcd's message.
        await Same("/v3/kv/compaction", "{\"revision\":\"100000\"}");
        // A body that is not JSON: InvalidArgument, 400, Go's "unexpected EOF".
        await Same("/v3/kv/range", "{\"key\":\"");
        await Same("/v3/lease/revoke", "{\"ID\":\"1\"}");
        await Same("/v3/lease/timetolive", "{\"ID\":\"1\"}");
        // Paths grpc-gateway does not know (HashKV and AuthStatus have none in etcd 3.4) and the wrong method.
        await Same("/v3/kv/nothing", "{}");
        await Same("/v3/maintenance/hashkv", "{}");
        await Same("/v3/auth/status", "{}");
        var etcd = await GatewayHttp.GetAsync(_http, pair.Etcd.ClientUrl + "/v3/kv/range");
        var actorStore = await GatewayHttp.GetAsync(_http, pair.ActorStore.ClientUrl + "/v3/kv/range");
        GatewayHttp.AssertSame("GET /v3/kv/range", etcd, actorStore);
    }

    [Fact]
    public async Task Watch_streams_created_events_and_canceled_as_json_lines()
    {
        var key = B64("watch/a");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var etcdWatch = await JsonLineStream.OpenAsync(_http, pair.Etcd.ClientUrl + "/v3/watch", $"{{\"create_request\":{{\"key\":\"{key}\"}}}}", timeout.Token);
        await using var actorStoreWatch = await JsonLineStream.OpenAsync(_http, pair.ActorStore.ClientUrl + "/v3/watch", $"{{\"create_request\":{{\"key\":\"{key}\"}}}}", timeout.Token);
        Assert.Equal(etcdWatch.Status, actorStoreWatch.Status);
        Assert.Equal(etcdWatch.ContentType, actorStoreWatch.ContentType);
        await SameLineAsync(etcdWatch, actorStoreWatch, timeout.Token);

        await Same("/v3/kv/put", $"{{\"key\":\"{key}\",\"value\":\"{B64("1")}\"}}");
        await SameLineAsync(etcdWatch, actorStoreWatch, timeout.Token);
        await Same("/v3/kv/deleterange", $"{{\"key\":\"{key}\"}}");
        await SameLineAsync(etcdWatch, actorStoreWatch, timeout.Token);

        // Create and cancel in one body, as curl sends them: created, then canceled, on the same stream. (Without a
        // start revision: etcd may cancel a watcher before or after it sent the history, and either is right.)
        var createThenCancel = $"{{\"create_request\":{{\"key\":\"{key}\"}}}}{{\"cancel_request\":{{\"watch_id\":\"0\"}}}}";
        await using var etcdCanceled = await JsonLineStream.OpenAsync(_http, pair.Etcd.ClientUrl + "/v3/watch", createThenCancel, timeout.Token);
        await using var actorStoreCanceled = await JsonLineStream.OpenAsync(_http, pair.ActorStore.ClientUrl + "/v3/watch", createThenCancel, timeout.Token);
        await SameLineAsync(etcdCanceled, actorStoreCanceled, timeout.Token);
        await SameLineAsync(etcdCanceled, actorStoreCanceled, timeout.Token);
    }

    [Fact]
    public async Task Lease_cluster_and_maintenance_calls_answer_as_etcd()
    {
        var (etcdGrant, actorStoreGrant) = await Same("/v3/lease/grant", "{\"TTL\":60}");
        var etcdLease = GatewayHttp.Field(etcdGrant.Body, "ID");
        var actorStoreLease = GatewayHttp.Field(actorStoreGrant.Body, "ID");
        await SameForOwnLease("/v3/lease/timetolive", "{\"ID\":\"<lease>\",\"keys\":true}", etcdLease, actorStoreLease);
        await SameForOwnLease("/v3/kv/lease/timetolive", "{\"ID\":\"<lease>\"}", etcdLease, actorStoreLease);
        await SameForOwnLease("/v3/lease/keepalive", "{\"ID\":\"<lease>\"}", etcdLease, actorStoreLease);
        await Same("/v3/lease/leases", "{}");
        await SameForOwnLease("/v3/kv/lease/revoke", "{\"ID\":\"<lease>\"}", etcdLease, actorStoreLease);
        await Same("/v3/kv/lease/leases", "{}");

        await Same("/v3/cluster/member/list", "{}");

        // Status and hash carry sizes, indexes and hashes of each server's own storage: the same fields, not values.
        foreach (var path in new[] { "/v3/maintenance/status", "/v3/maintenance/hash" })
        {
            var etcd = await GatewayHttp.PostAsync(_http, pair.Etcd.ClientUrl, path, "{}");
            var actorStore = await GatewayHttp.PostAsync(_http, pair.ActorStore.ClientUrl, path, "{}");
            Assert.Equal(etcd.Status, actorStore.Status);
            Assert.Equal(FieldNames(etcd.Body), FieldNames(actorStore.Body));
        }
    }

    [Fact]
    public async Task Auth_paths_reach_the_auth_service_with_the_token_forwarded()
    {
        // Auth is built elsewhere: here the paths must route to the Auth service (etcd's answer or its error, as
        // JSON), never 404, whatever the Authorization header carries.
        foreach (var path in new[] { "/v3/auth/user/list", "/v3/auth/role/list", "/v3/auth/authenticate", "/v3/auth/user/get" })
        {
            var answer = await GatewayHttp.PostAsync(_http, pair.ActorStore.ClientUrl, path, "{\"name\":\"root\",\"password\":\"x\"}", authorization: "sometoken");
            Assert.NotEqual(HttpStatusCode.NotFound, answer.Status);
            Assert.Equal("application/json", answer.ContentType);
            Assert.True(answer.Body.Contains("\"header\"", StringComparison.Ordinal) || answer.Body.Contains("\"code\"", StringComparison.Ordinal), answer.ToString());
        }
    }

    [Fact]
    public async Task Http_answers_carry_etcds_default_cors_headers_and_preflights_answer_ok()
    {
        foreach (var method in new[] { HttpMethod.Post, HttpMethod.Options })
        {
            using var toEtcd = new HttpRequestMessage(method, pair.Etcd.ClientUrl + "/v3/kv/range") { Content = new StringContent("{}") };
            using var toActorStore = new HttpRequestMessage(method, pair.ActorStore.ClientUrl + "/v3/kv/range") { Content = new StringContent("{}") };
            toEtcd.Headers.Add("Origin", "https://app.example");
            toActorStore.Headers.Add("Origin", "https://app.example");
            using var etcd = await _http.SendAsync(toEtcd);
            using var actorStore = await _http.SendAsync(toActorStore);
            Assert.Equal(etcd.StatusCode, actorStore.StatusCode);
            foreach (var header in new[] { "Access-Control-Allow-Origin", "Access-Control-Allow-Methods", "Access-Control-Allow-Headers" })
            {
                Assert.Equal(etcd.Headers.GetValues(header), actorStore.Headers.GetValues(header));
            }
        }
    }

    private async Task SameForOwnLease(string path, string body, string etcdLease, string actorStoreLease)
    {
        var etcd = await GatewayHttp.PostAsync(_http, pair.Etcd.ClientUrl, path, body.Replace("<lease>", etcdLease, StringComparison.Ordinal));
        var actorStore = await GatewayHttp.PostAsync(_http, pair.ActorStore.ClientUrl, path, body.Replace("<lease>", actorStoreLease, StringComparison.Ordinal));
        GatewayHttp.AssertSame(path, etcd, actorStore);
    }

    private static async Task SameLineAsync(JsonLineStream etcd, JsonLineStream actorStore, CancellationToken ct)
    {
        var expected = await etcd.ReadLineAsync(ct);
        var actual = await actorStore.ReadLineAsync(ct);
        Assert.NotNull(expected);
        Assert.Equal(GatewayHttp.Normalize(expected), GatewayHttp.Normalize(actual ?? "<end of stream>"));
    }

    private static string[] FieldNames(string json) =>
        System.Text.Json.JsonDocument.Parse(json).RootElement.EnumerateObject().Select(p => p.Name).ToArray();
}
