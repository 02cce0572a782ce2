using System.Net;
using ActorStore.EndToEnd.ClientTls;
using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd.Http;

/// <summary>
/// The JSON gateway on an https:// client URL, and --listen-metrics-urls on an https:// URL (served with the client
/// TLS settings, here --auto-tls) with --metrics=extensive: real etcd 3.4.23 and ActorStore alike.
/// </summary>
public sealed class HttpsGatewayAndMetricsListenerTests
{
    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task Https_listeners_serve_the_gateway_and_the_metrics_listener_serves_extensive_metrics(MemberKind kind)
    {
        var metricsPort = FreePorts.Next();
        var metricsUrl = $"https://127.0.0.1:{metricsPort}";
        await using var node = await ClientTlsNode.StartAsync(kind, ["--auto-tls", "--listen-metrics-urls", metricsUrl, "--metrics", "extensive"]);
        // The member signed its certificate itself: nothing could check it.
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };

        var put = await GatewayHttp.PostAsync(http, node.SecureUrl, "/v3/kv/put", "{\"key\":\"aHR0cHM=\",\"value\":\"MQ==\"}");
        Assert.Equal(HttpStatusCode.OK, put.Status);
        var range = await GatewayHttp.PostAsync(http, node.SecureUrl, "/v3/kv/range", "{\"key\":\"aHR0cHM=\"}");
        Assert.Contains("\"kvs\":[{\"key\":\"aHR0cHM=\",\"create_revision\":\"2\",\"mod_revision\":\"2\",\"version\":\"1\",\"value\":\"MQ==\"}]", range.Body);

        var metrics = PrometheusText.Parse(await http.GetStringAsync(metricsUrl + "/metrics"));
        Assert.Equal(1, metrics.Value("etcd_server_has_leader"));
        Assert.Equal("histogram", metrics.Families["grpc_server_handling_seconds"].Type);
        Assert.Equal(["grpc_method", "grpc_service", "grpc_type"], metrics.Families["grpc_server_handling_seconds"].LabelNames.Order());
        var health = await GatewayHttp.GetAsync(http, metricsUrl + "/health");
        Assert.Equal((HttpStatusCode.OK, "{\"health\":\"true\"}"), (health.Status, health.Body));
        // Only metrics and health there: the gateway is on the client URLs.
        var gateway = await GatewayHttp.PostAsync(http, metricsUrl, "/v3/kv/range", "{}");
        Assert.Equal(HttpStatusCode.NotFound, gateway.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GatewayHttp.GetAsync(http, metricsUrl + "/version")).Status);
    }
}
