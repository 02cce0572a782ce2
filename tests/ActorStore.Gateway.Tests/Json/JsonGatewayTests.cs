using System.Net;
using System.Text;
using ActorStore.Gateway.Grpc;
using ActorStore.Gateway.Json;
using Etcdserverpb;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace ActorStore.Gateway.Tests.Json;

/// <summary>
/// The JSON gateway over a host's own Unix socket, against small services: how it forwards the Authorization
/// header, shows answers (proto names, 64-bit integers as strings, bytes as base64, defaults left out), maps errors
/// to grpc-gateway's status and body, and streams requests and answers of a bidirectional call.
/// </summary>
public sealed class JsonGatewayTests : IAsyncLifetime
{
    private readonly DirectoryInfo _socketDirectory = Directory.CreateTempSubdirectory("actorstore-gw-test-");
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(20) };
    private GrpcHost? _host;
    private global::Grpc.Net.Client.GrpcChannel? _channel;

    private string BaseUrl => $"http://127.0.0.1:{_host!.Ports[0]}";

    public async Task InitializeAsync()
    {
        var socket = Path.Combine(_socketDirectory.FullName, "grpc.sock");
        _channel = SelfGrpcChannel.Create(socket);
        var invoker = _channel.CreateCallInvoker();
        _host = await GrpcHost.StartAsync(new GrpcHostOptions
        {
            Urls = ["http://127.0.0.1:0"],
            SelfCallSocketPath = socket,
            ConfigureServices = services =>
            {
                services.AddSingleton<RecordingKvService>();
                services.AddSingleton<EchoWatchService>();
            },
            MapServices = routes =>
            {
                routes.MapGrpcService<RecordingKvService>();
                routes.MapGrpcService<EchoWatchService>();
            },
            ConfigureApplication = app => app.UseEtcdJsonGateway(invoker),
        });
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        _channel?.Dispose();
        _http.Dispose();
        _socketDirectory.Delete(recursive: true);
    }

    [Fact]
    public async Task A_unary_answer_has_grpc_gateways_json_and_the_token_reaches_the_service()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, BaseUrl + "/v3beta/kv/range") { Content = new StringContent("{\"key\":\"Zm9v\"}") };
        request.Headers.TryAddWithoutValidation("Authorization", "token-1");
        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(
            "{\"header\":{\"cluster_id\":\"18446744073709551615\",\"revision\":\"7\"},"
            + "\"kvs\":[{\"key\":\"dG9rZW4tMQ==\",\"mod_revision\":\"7\",\"version\":\"1\",\"value\":\"Zm9v\"}],\"count\":\"1\"}",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Errors_have_grpc_gateways_body_and_status()
    {
        var put = await _http.PostAsync(BaseUrl + "/v3/kv/put", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.PreconditionFailed, put.StatusCode);
        Assert.Equal(
            "{\"error\":\"etcdserver: \\u003cprecondition\\u003e \\u0026 \\\"quotes\\\"\",\"message\":\"etcdserver: \\u003cprecondition\\u003e \\u0026 \\\"quotes\\\"\",\"code\":9}",
            await put.Content.ReadAsStringAsync());

        // A service the host does not serve: the gRPC call fails Unimplemented, 501.
        var lease = await _http.PostAsync(BaseUrl + "/v3/lease/grant", new StringContent("{\"TTL\":5}"));
        Assert.Equal(HttpStatusCode.NotImplemented, lease.StatusCode);
        Assert.Contains("\"code\":12", await lease.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var truncated = await _http.PostAsync(BaseUrl + "/v3/kv/range", new StringContent("{\"key\":"));
        Assert.Equal(HttpStatusCode.BadRequest, truncated.StatusCode);
        Assert.Equal("{\"error\":\"unexpected EOF\",\"message\":\"unexpected EOF\",\"code\":3}", await truncated.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_streamed_body_is_sent_object_by_object_and_answers_stream_back_as_lines()
    {
        var body = new OpenRequestBody();
        // HTTP/2 (h2c on the shared port), so that the client reads the answer while it still sends the body.
        using var request = new HttpRequestMessage(HttpMethod.Post, BaseUrl + "/v3/watch")
        {
            Content = body,
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        var sending = _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        // The first object arrives in two pieces; the answer to it must come while the body is still open.
        await body.WriteAsync("{\"create_request\":{\"key\":\"YQ==\",");
        await Task.Delay(50);
        await body.WriteAsync("\"start_revision\":\"3\"}}\n");
        using var response = await sending;
        using var lines = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal("{\"result\":{\"watch_id\":\"3\",\"created\":true}}", await lines.ReadLineAsync());

        // Objects back to back with no separator, then the end of the body closes the sending side.
        await body.WriteAsync("{\"cancel_request\":{\"watch_id\":\"3\"}}{\"create_request\":{\"start_revision\":\"4\"}}");
        body.Complete();
        Assert.Equal("{\"result\":{\"watch_id\":\"-1\",\"canceled\":true}}", await lines.ReadLineAsync());
        Assert.Equal("{\"result\":{\"watch_id\":\"4\",\"created\":true}}", await lines.ReadLineAsync());
        Assert.Equal("{\"result\":{\"cancel_reason\":\"client done\"}}", await lines.ReadLineAsync());
        Assert.Null(await lines.ReadLineAsync());
    }

    [Fact]
    public async Task A_grpc_timeout_header_it_cannot_read_is_refused_as_grpc_gateway_does()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, BaseUrl + "/v3/kv/range") { Content = new StringContent("{}") };
        request.Headers.TryAddWithoutValidation("Grpc-Timeout", "soon");
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("{\"error\":\"invalid grpc-timeout: soon\",\"message\":\"invalid grpc-timeout: soon\",\"code\":3}", await response.Content.ReadAsStringAsync());

        using var timed = new HttpRequestMessage(HttpMethod.Post, BaseUrl + "/v3/kv/range") { Content = new StringContent("{}") };
        timed.Headers.TryAddWithoutValidation("Grpc-Timeout", "5S");
        using var answered = await _http.SendAsync(timed);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
    }

    [Fact]
    public async Task Unknown_paths_and_methods_answer_as_go()
    {
        var missing = await _http.PostAsync(BaseUrl + "/v3/kv/nothing", new StringContent("{}"));
        Assert.Equal((HttpStatusCode.NotFound, "Not Found\n"), (missing.StatusCode, await missing.Content.ReadAsStringAsync()));
        var get = await _http.GetAsync(BaseUrl + "/v3/kv/range");
        Assert.Equal((HttpStatusCode.MethodNotAllowed, "Method Not Allowed\n"), (get.StatusCode, await get.Content.ReadAsStringAsync()));
    }
}
