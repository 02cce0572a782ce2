using System.Net;
using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd.Http;

/// <summary>
/// One member of a three-member cluster started alone: it never has a leader, so /health and /readyz say so while
/// /livez (a local read) passes, and the metrics show no leader. (Real etcd does not serve clients at all before its
/// cluster forms, so there is nothing to compare with.)
/// </summary>
[Collection("differential")]
public sealed class NoQuorumHealthTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly int _clientPort = FreePorts.Next();
    private ServerProcess _member = null!;

    private string ClientUrl => $"http://127.0.0.1:{_clientPort}";

    public async Task InitializeAsync()
    {
        var peers = Enumerable.Range(0, 3).Select(_ => FreePorts.Next()).ToArray();
        var peerUrl = $"http://127.0.0.1:{peers[0]}";
        _member = ServerProcess.Start("dotnet",
        [
            RepoPaths.ActorStoreDll,
            "--name", "n1",
            "--data-dir", Path.Combine(_dir.Path, "data"),
            "--listen-client-urls", ClientUrl,
            "--advertise-client-urls", ClientUrl,
            "--listen-peer-urls", peerUrl,
            "--initial-advertise-peer-urls", peerUrl,
            "--initial-cluster", string.Join(",", peers.Select((port, i) => $"n{i + 1}=http://127.0.0.1:{port}")),
        ]);
        // Serving, though not healthy: /version answers as soon as the client port is up.
        await _member.WaitHealthyAsync(ClientUrl + "/version", TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        await _member.DisposeAsync();
        _http.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Health_and_readyz_fail_without_a_leader_while_livez_passes()
    {
        var health = await GatewayHttp.GetAsync(_http, ClientUrl + "/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.Status);
        Assert.Equal("{\"health\":\"false\"}\n", health.Body);

        var readyz = await GatewayHttp.GetAsync(_http, ClientUrl + "/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyz.Status);
        Assert.StartsWith("[+]data_corruption ok\n[+]serializable_read ok\n[-]linearizable_read failed: ", readyz.Body);
        Assert.EndsWith("readyz check failed\n", readyz.Body);

        var livez = await GatewayHttp.GetAsync(_http, ClientUrl + "/livez");
        Assert.Equal((HttpStatusCode.OK, "ok\n"), (livez.Status, livez.Body));

        // A write through the JSON gateway fails with etcd's no-leader error, and the gRPC series count it so.
        var put = await GatewayHttp.PostAsync(_http, ClientUrl, "/v3/kv/put", "{\"key\":\"YQ==\",\"value\":\"Yg==\"}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, put.Status);
        Assert.Equal("{\"error\":\"etcdserver: no leader\",\"message\":\"etcdserver: no leader\",\"code\":14}", put.Body);

        var metrics = PrometheusText.Parse(await _http.GetStringAsync(ClientUrl + "/metrics"));
        Assert.Equal(0, metrics.Value("etcd_server_has_leader"));
        Assert.Equal(0, metrics.Value("etcd_server_is_leader"));
        Assert.Equal(1, metrics.Value("grpc_server_handled_total",
            ("grpc_code", "Unavailable"), ("grpc_method", "Put"), ("grpc_service", "etcdserverpb.KV"), ("grpc_type", "unary")));
    }
}
