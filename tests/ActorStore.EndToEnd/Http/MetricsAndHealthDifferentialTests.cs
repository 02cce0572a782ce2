using System.Net;
using System.Text;
using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd.Http;

/// <summary>
/// /metrics scraped from ActorStore and from real etcd 3.4.23 in the same test and compared by shape (names, types,
/// help texts, label names), values that must move after writes, and the health endpoints on a healthy member and
/// under a NOSPACE alarm raised on both.
/// </summary>
[Collection("differential")]
public sealed class MetricsAndHealthDifferentialTests(PairFixture pair) : IClassFixture<PairFixture>, IDisposable
{
    /// <summary>The series dashboards and alerts built for etcd ask for, with the type etcd gives each.</summary>
    private static readonly (string Name, string Type)[] DashboardSeries =
    [
        ("etcd_server_has_leader", "gauge"),
        ("etcd_server_is_leader", "gauge"),
        ("etcd_server_leader_changes_seen_total", "counter"),
        ("etcd_server_proposals_committed_total", "gauge"),
        ("etcd_server_proposals_applied_total", "gauge"),
        ("etcd_server_proposals_pending", "gauge"),
        ("etcd_server_proposals_failed_total", "counter"),
        ("etcd_server_heartbeat_send_failures_total", "counter"),
        ("etcd_server_slow_apply_total", "counter"),
        ("etcd_server_id", "gauge"),
        ("etcd_server_quota_backend_bytes", "gauge"),
        ("etcd_server_health_success", "counter"),
        ("etcd_server_health_failures", "counter"),
        ("etcd_server_version", "gauge"),
        ("etcd_disk_wal_fsync_duration_seconds", "histogram"),
        ("etcd_disk_backend_commit_duration_seconds", "histogram"),
        ("etcd_mvcc_db_total_size_in_bytes", "gauge"),
        ("etcd_mvcc_db_total_size_in_use_in_bytes", "gauge"),
        ("etcd_mvcc_put_total", "counter"),
        ("etcd_mvcc_delete_total", "counter"),
        ("etcd_mvcc_range_total", "counter"),
        ("etcd_mvcc_txn_total", "counter"),
        ("etcd_debugging_mvcc_keys_total", "gauge"),
        ("etcd_debugging_mvcc_watcher_total", "gauge"),
        ("etcd_debugging_mvcc_slow_watcher_total", "gauge"),
        ("etcd_debugging_lease_granted_total", "counter"),
        ("etcd_network_peer_round_trip_time_seconds", "histogram"),
        ("etcd_network_peer_sent_bytes_total", "counter"),
        ("etcd_network_peer_received_bytes_total", "counter"),
        ("etcd_network_client_grpc_sent_bytes_total", "counter"),
        ("grpc_server_started_total", "counter"),
        ("grpc_server_handled_total", "counter"),
    ];

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose() => _http.Dispose();

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task Metrics_have_etcds_names_types_help_and_labels()
    {
        var etcd = PrometheusText.Parse(await _http.GetStringAsync(pair.Etcd.ClientUrl + "/metrics"));
        var actorStore = PrometheusText.Parse(await _http.GetStringAsync(pair.ActorStore.ClientUrl + "/metrics"));
        foreach (var (name, type) in DashboardSeries)
        {
            Assert.True(actorStore.Families.TryGetValue(name, out var ours), $"ActorStore does not export {name}");
            Assert.Equal(type, ours.Type);
            // A single etcd member exports no peer series (no peers yet): where it does export one, match it exactly.
            if (etcd.Families.TryGetValue(name, out var theirs))
            {
                Assert.Equal(theirs.Type, ours.Type);
                Assert.Equal(theirs.Help, ours.Help);
                Assert.Equal(theirs.LabelNames.Order(), ours.LabelNames.Order());
            }
        }
        Assert.Equal(["grpc_code", "grpc_method", "grpc_service", "grpc_type"], actorStore.Families["grpc_server_handled_total"].LabelNames.Order());
        foreach (var process in etcd.Families.Values.Where(f => f.Name.StartsWith("process_", StringComparison.Ordinal)))
        {
            Assert.True(actorStore.Families.TryGetValue(process.Name, out var ours), $"ActorStore does not export {process.Name}");
            Assert.Equal((process.Type, process.Help), (ours.Type, ours.Help));
        }
        // The runtime's series: what etcd exports as go_*, here as dotnet_* counterparts.
        Assert.Contains(etcd.Families.Keys, name => name.StartsWith("go_", StringComparison.Ordinal));
        foreach (var runtime in new[] { "dotnet_info", "dotnet_threadpool_threads", "dotnet_gc_heap_size_bytes", "dotnet_gc_collections_total", "dotnet_gc_pause_seconds_total" })
        {
            Assert.True(actorStore.Families.TryGetValue(runtime, out var family) && !string.IsNullOrWhiteSpace(family.Help), $"ActorStore does not export {runtime}");
        }
        Assert.True(actorStore.Value("dotnet_gc_heap_size_bytes") > 0);
        Assert.Equal(1, actorStore.Value("etcd_server_has_leader"));
        Assert.Equal(etcd.Value("etcd_server_quota_backend_bytes"), actorStore.Value("etcd_server_quota_backend_bytes"));
        Assert.Equal(1, actorStore.Value("etcd_server_version", ("server_version", "3.4.23")));
        Assert.Contains(actorStore.Families.Keys, name => name.StartsWith("actorstore_", StringComparison.Ordinal));
        Assert.All(actorStore.Families.Values.Where(f => f.Name.StartsWith("actorstore_", StringComparison.Ordinal)),
            family => Assert.False(string.IsNullOrWhiteSpace(family.Help), family.Name));
    }

    [Fact]
    public async Task Counters_move_with_writes_as_etcds_do()
    {
        var before = PrometheusText.Parse(await _http.GetStringAsync(pair.ActorStore.ClientUrl + "/metrics"));
        var etcdBefore = PrometheusText.Parse(await _http.GetStringAsync(pair.Etcd.ClientUrl + "/metrics"));
        for (var i = 0; i < 3; i++)
        {
            await GatewayHttp.SameAsync(_http, pair, "/v3/kv/put", $"{{\"key\":\"{B64("metrics/" + i)}\",\"value\":\"{B64("v")}\"}}");
        }
        var after = PrometheusText.Parse(await _http.GetStringAsync(pair.ActorStore.ClientUrl + "/metrics"));
        var etcdAfter = PrometheusText.Parse(await _http.GetStringAsync(pair.Etcd.ClientUrl + "/metrics"));

        foreach (var name in new[] { "etcd_server_proposals_committed_total", "etcd_server_proposals_applied_total" })
        {
            Assert.True(after.Value(name) - before.Value(name) >= 3, $"{name}: {before.Value(name)} -> {after.Value(name)}");
        }
        Assert.Equal(etcdAfter.Value("etcd_mvcc_put_total") - etcdBefore.Value("etcd_mvcc_put_total"),
            after.Value("etcd_mvcc_put_total") - before.Value("etcd_mvcc_put_total"));
        var put = new[] { ("grpc_method", "Put"), ("grpc_service", "etcdserverpb.KV"), ("grpc_type", "unary") };
        Assert.Equal(3, after.Value("grpc_server_started_total", put) - before.Value("grpc_server_started_total", put));
        var putOk = put.Prepend(("grpc_code", "OK")).ToArray();
        Assert.Equal(3, after.Value("grpc_server_handled_total", putOk) - before.Value("grpc_server_handled_total", putOk));
        Assert.True(after.Value("etcd_disk_wal_fsync_duration_seconds_count") > before.Value("etcd_disk_wal_fsync_duration_seconds_count"));
    }

    [Fact]
    public async Task An_open_watch_counts_as_a_watcher_as_in_etcd()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var body = $"{{\"create_request\":{{\"key\":\"{B64("metrics/watched")}\"}}}}";
        await using var etcdWatch = await JsonLineStream.OpenAsync(_http, pair.Etcd.ClientUrl + "/v3/watch", body, timeout.Token);
        await using var actorStoreWatch = await JsonLineStream.OpenAsync(_http, pair.ActorStore.ClientUrl + "/v3/watch", body, timeout.Token);
        Assert.Contains("\"created\":true", await etcdWatch.ReadLineAsync(timeout.Token), StringComparison.Ordinal);
        Assert.Contains("\"created\":true", await actorStoreWatch.ReadLineAsync(timeout.Token), StringComparison.Ordinal);

        var etcd = PrometheusText.Parse(await _http.GetStringAsync(pair.Etcd.ClientUrl + "/metrics"));
        var actorStore = PrometheusText.Parse(await _http.GetStringAsync(pair.ActorStore.ClientUrl + "/metrics"));
        Assert.Equal(1, etcd.Value("etcd_debugging_mvcc_watcher_total"));
        Assert.Equal(1, actorStore.Value("etcd_debugging_mvcc_watcher_total"));
        Assert.Equal(0, actorStore.Value("etcd_debugging_mvcc_slow_watcher_total"));
    }

    [Fact]
    public async Task Health_answers_as_etcd_and_turns_false_under_a_nospace_alarm()
    {
        await SameGetAsync("/health");
        await SameGetAsync("/health?serializable=true");
        Assert.Equal("ok\n", await _http.GetStringAsync(pair.ActorStore.ClientUrl + "/livez"));
        Assert.Equal("ok\n", await _http.GetStringAsync(pair.ActorStore.ClientUrl + "/readyz"));
        Assert.Equal("[+]data_corruption ok\n[+]serializable_read ok\n[+]linearizable_read excluded: ok\nok\n",
            await _http.GetStringAsync(pair.ActorStore.ClientUrl + "/readyz?verbose&exclude=linearizable_read"));
        Assert.Equal("[+]serializable_read ok\nok\n", await _http.GetStringAsync(pair.ActorStore.ClientUrl + "/livez/serializable_read?verbose"));

        var etcdMember = GatewayHttp.Field((await GatewayHttp.PostAsync(_http, pair.Etcd.ClientUrl, "/v3/maintenance/status", "{}")).Body, "leader");
        var actorStoreMember = GatewayHttp.Field((await GatewayHttp.PostAsync(_http, pair.ActorStore.ClientUrl, "/v3/maintenance/status", "{}")).Body, "leader");
        try
        {
            await AlarmBothAsync("ACTIVATE", etcdMember, actorStoreMember);
            await SameGetAsync("/health");
            await SameGetAsync("/health?exclude=NOSPACE");
            // Writes that add data are refused under NOSPACE, with etcd's error.
            await GatewayHttp.SameAsync(_http, pair, "/v3/kv/put", $"{{\"key\":\"{B64("health/a")}\",\"value\":\"{B64("v")}\"}}");
        }
        finally
        {
            await AlarmBothAsync("DEACTIVATE", etcdMember, actorStoreMember);
        }
        await SameGetAsync("/health");
    }

    private async Task AlarmBothAsync(string action, string etcdMember, string actorStoreMember)
    {
        var etcd = await GatewayHttp.PostAsync(_http, pair.Etcd.ClientUrl, "/v3/maintenance/alarm",
            $"{{\"action\":\"{action}\",\"memberID\":\"{etcdMember}\",\"alarm\":\"NOSPACE\"}}");
        var actorStore = await GatewayHttp.PostAsync(_http, pair.ActorStore.ClientUrl, "/v3/maintenance/alarm",
            $"{{\"action\":\"{action}\",\"memberID\":\"{actorStoreMember}\",\"alarm\":\"NOSPACE\"}}");
        Assert.Equal(HttpStatusCode.OK, etcd.Status);
        Assert.Equal(HttpStatusCode.OK, actorStore.Status);
    }

    private async Task SameGetAsync(string path)
    {
        var etcd = await GatewayHttp.GetAsync(_http, pair.Etcd.ClientUrl + path);
        var actorStore = await GatewayHttp.GetAsync(_http, pair.ActorStore.ClientUrl + path);
        GatewayHttp.AssertSame("GET " + path, etcd, actorStore);
    }
}
