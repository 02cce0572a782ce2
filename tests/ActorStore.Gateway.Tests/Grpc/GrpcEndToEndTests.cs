using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using ActorStore.Gateway.Tests.Grpc.Services;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Xunit;

namespace ActorStore.Gateway.Tests.Grpc;

/// <summary>Grpc.Net.Client (and raw HTTP/2 where a client would not send it) against our host on loopback.</summary>
public sealed class GrpcEndToEndTests(GrpcTestServer server) : IClassFixture<GrpcTestServer>, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static readonly Marshaller<StringValue> StringValues = Marshallers.Create(value => value.ToByteArray(), StringValue.Parser.ParseFrom);

    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(server.Address);

    private Echo.EchoClient Echo => new(_channel);

    public void Dispose() => _channel.Dispose();

    [Fact]
    public async Task Unary_call_returns_the_handler_response()
    {
        var response = await Unary("ping");

        Assert.Equal("echo:ping", response.Value);
    }

    [Fact]
    public async Task Handler_rpc_exception_reaches_the_client_with_its_status_and_message()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Unary("fail"));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("etcdserver: requested lease not found", error.Status.Detail);
    }

    [Fact]
    public async Task Non_ascii_status_message_is_percent_encoded_on_the_wire_and_decoded_by_the_client()
    {
        using var http = server.CreateRawHttp2Client();
        using var raw = await http.SendAsync(GrpcRequest("/test.Echo/Unary", new StringValue { Value = "unicode" }));
        var error = await Assert.ThrowsAsync<RpcException>(() => Unary("unicode"));

        Assert.Equal("caf%C3%A9 100%25 r%C3%A9ussi%0Aligne 2", raw.Headers.GetValues("grpc-message").Single());
        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal("caf\u00e9 100% r\u00e9ussi\nligne 2", error.Status.Detail);
    }

    [Fact]
    public async Task Unexpected_exception_becomes_unknown_with_its_message()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Unary("boom"));

        Assert.Equal(StatusCode.Unknown, error.StatusCode);
        Assert.Equal("kaboom", error.Status.Detail);
    }

    [Theory]
    [InlineData("test.Echo", "Nope", "unknown method Nope for service test.Echo")]
    [InlineData("test.Nope", "Unary", "unknown service test.Nope")]
    [InlineData("test.Echo", "Later", "actorstore: /test.Echo/Later is not implemented yet")]
    [InlineData("test.Declared", "Pending", "actorstore: /test.Declared/Pending is not implemented yet")]
    public async Task Unknown_and_declared_methods_answer_unimplemented(string service, string method, string message)
    {
        var call = new Method<StringValue, StringValue>(MethodType.Unary, service, method, StringValues, StringValues);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await _channel.CreateCallInvoker().AsyncUnaryCall(call, null, new CallOptions(), new StringValue { Value = "x" }));

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
        Assert.Equal(message, error.Status.Detail);
    }

    [Fact]
    public async Task Methods_a_service_overrides_are_served()
    {
        var response = await new Declared.DeclaredClient(_channel).BuiltAsync(new Empty());

        Assert.Equal(new Empty(), response);
    }

    [Fact]
    public async Task Trailers_only_error_has_no_body_and_grpc_content_type()
    {
        using var http = server.CreateRawHttp2Client();
        using var response = await http.SendAsync(GrpcRequest("/test.Nope/X", new StringValue()));
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/grpc", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("12", response.Headers.GetValues("grpc-status").Single());
        Assert.Empty(body);
        Assert.Empty(response.TrailingHeaders);
    }

    [Fact]
    public async Task Request_metadata_reaches_the_handler()
    {
        var response = await Echo.UnaryAsync(new StringValue { Value = "token" }, new Metadata { { "token", "secret-token" } });

        Assert.Equal("secret-token", response.Value);
    }

    [Fact]
    public async Task Handler_headers_and_trailers_reach_the_client()
    {
        using var http = server.CreateRawHttp2Client();
        using var response = await http.SendAsync(GrpcRequest("/test.Echo/Unary", new StringValue { Value = "metadata" }));
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal("h", response.Headers.GetValues("x-header").Single());
        Assert.Equal("t", response.TrailingHeaders.GetValues("x-trailer").Single());
        Assert.Equal("0", response.TrailingHeaders.GetValues("grpc-status").Single());
        Assert.Equal("with metadata", GrpcFrames.Parse(body, StringValue.Parser).Single().Value);
    }

    [Fact]
    public async Task Deadline_runs_out_as_deadline_exceeded_on_the_clients_side()
    {
        // The server's own answer at the deadline races the client's timer; a handler that lingers lets the client decide.
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await Echo.HangThenLingerAsync(new StringValue { Value = "deadline-client" }, deadline: DateTime.UtcNow.AddMilliseconds(200)));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.True(await server.HangOutcome("deadline-client").Task.WaitAsync(Patience));
    }

    [Fact]
    public async Task Server_enforces_grpc_timeout_itself_and_answers_as_etcds_go_server_does()
    {
        using var http = server.CreateRawHttp2Client();
        var request = GrpcRequest("/test.Echo/Hang", new StringValue { Value = "deadline-server" });
        request.Headers.TryAddWithoutValidation("grpc-timeout", "100m");

        using var response = await http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();

        // Unknown, as grpc-go answers a handler's context error: DEADLINE_EXCEEDED from a server makes clientv3 send
        // the request again before its own deadline, and a write sent again may be applied twice.
        Assert.Equal("2", Status(response));
        Assert.Equal("context deadline exceeded", Message(response));
        Assert.True(await server.HangOutcome("deadline-server").Task.WaitAsync(Patience));
    }

    [Fact]
    public async Task Handler_sees_the_deadline_the_client_sent()
    {
        var deadline = DateTime.UtcNow.AddMinutes(5);

        var response = await Echo.UnaryAsync(new StringValue { Value = "deadline" }, deadline: deadline);

        var seen = DateTime.Parse(response.Value, null, System.Globalization.DateTimeStyles.RoundtripKind);
        Assert.InRange(seen, deadline.AddSeconds(-5), deadline.AddSeconds(1));
    }

    [Fact]
    public async Task Malformed_grpc_timeout_is_internal()
    {
        using var http = server.CreateRawHttp2Client();
        var request = GrpcRequest("/test.Echo/Unary", new StringValue { Value = "x" });
        request.Headers.TryAddWithoutValidation("grpc-timeout", "5x");

        using var response = await http.SendAsync(request);

        Assert.Equal("13", Status(response));
        Assert.StartsWith("transport: malformed time-out", Message(response));
    }

    [Fact]
    public async Task Zero_grpc_timeout_answers_at_once_without_running_the_handler()
    {
        using var http = server.CreateRawHttp2Client();
        var request = GrpcRequest("/test.Echo/Hang", new StringValue { Value = "zero-timeout" });
        request.Headers.TryAddWithoutValidation("grpc-timeout", "0n");

        using var response = await http.SendAsync(request);

        Assert.Equal("2", Status(response));
        Assert.Equal("context deadline exceeded", Message(response));
        Assert.False(server.HangStarted.ContainsKey("zero-timeout"));
    }

    [Fact]
    public async Task Client_cancellation_resets_the_stream_and_the_handler_observes_it()
    {
        using var cancel = new CancellationTokenSource();
        using var call = Echo.HangAsync(new StringValue { Value = "cancel" }, cancellationToken: cancel.Token);
        await server.HangStart("cancel").Task.WaitAsync(Patience);

        await cancel.CancelAsync();
        var error = await Assert.ThrowsAsync<RpcException>(async () => await call);

        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        Assert.True(await server.HangOutcome("cancel").Task.WaitAsync(Patience));
    }

    [Fact]
    public async Task Server_streaming_delivers_every_message_in_order()
    {
        using var call = Echo.Count(new Int32Value { Value = 100 });

        var received = new List<int>();
        await foreach (var response in call.ResponseStream.ReadAllAsync())
        {
            received.Add(response.Value);
        }

        Assert.Equal(Enumerable.Range(0, 100), received);
    }

    [Fact]
    public async Task Server_streaming_with_no_messages_ends_cleanly()
    {
        using var call = Echo.Count(new Int32Value { Value = 0 });

        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Client_streaming_reads_every_request()
    {
        using var http = server.CreateRawHttp2Client();
        var frames = Enumerable.Range(1, 10).SelectMany(i => GrpcFrames.Frame(new Int32Value { Value = i })).ToArray();
        using var response = await http.SendAsync(GrpcRequest("/test.Echo/Sum", frames));
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal("0", Status(response));
        Assert.Equal(55, GrpcFrames.Parse(body, Int32Value.Parser).Single().Value);
    }

    [Fact]
    public async Task Duplex_call_answers_each_request_before_the_next_is_sent()
    {
        using var call = Echo.Chat();

        for (var i = 0; i < 10; i++)
        {
            await call.RequestStream.WriteAsync(new StringValue { Value = $"m{i}" });
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Patience));
            Assert.Equal($"re:m{i}", call.ResponseStream.Current.Value);
        }

        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Duplex_call_error_after_messages_arrives_in_trailers()
    {
        using var call = Echo.Chat();

        await call.RequestStream.WriteAsync(new StringValue { Value = "hello" });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        await call.RequestStream.WriteAsync(new StringValue { Value = "stop" });
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.Aborted, error.StatusCode);
        Assert.Equal("stopped on request", error.Status.Detail);
    }

    [Fact]
    public async Task Gzip_compressed_request_is_accepted_and_answered_gzip_compressed_as_grpc_go_does()
    {
        using var http = server.CreateRawHttp2Client();
        var request = GrpcRequest("/test.Echo/Unary", GrpcFrames.GzipFrame(new StringValue { Value = "zipped" }));
        request.Headers.TryAddWithoutValidation("grpc-encoding", "gzip");

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal("0", Status(response));
        Assert.Equal("gzip", response.Headers.GetValues("grpc-encoding").Single());
        Assert.Equal(1, body[0]);
        Assert.Equal("echo:zipped", GrpcFrames.Parse(body, StringValue.Parser).Single().Value);
    }

    [Fact]
    public async Task Unsupported_request_encoding_is_unimplemented()
    {
        using var http = server.CreateRawHttp2Client();
        var request = GrpcRequest("/test.Echo/Unary", new StringValue { Value = "x" });
        request.Headers.TryAddWithoutValidation("grpc-encoding", "snappy");

        using var response = await http.SendAsync(request);

        Assert.Equal("12", Status(response));
        Assert.Equal("grpc: Decompressor is not installed for grpc-encoding \"snappy\"", Message(response));
    }

    [Fact]
    public async Task Oversize_request_is_resource_exhausted()
    {
        var request = new StringValue { Value = new string('x', GrpcTestServer.MaxReceiveMessageSize) };

        var error = await Assert.ThrowsAsync<RpcException>(async () => await Echo.UnaryAsync(request));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal(
            $"grpc: received message larger than max ({request.CalculateSize()} vs. {GrpcTestServer.MaxReceiveMessageSize})",
            error.Status.Detail);
    }

    [Fact]
    public async Task Concurrent_callers_each_get_their_own_answer()
    {
        var callers = Enumerable.Range(0, 64).Select(async caller =>
        {
            for (var i = 0; i < 20; i++)
            {
                var response = await Unary($"{caller}/{i}");
                Assert.Equal($"echo:{caller}/{i}", response.Value);
            }
        });

        await Task.WhenAll(callers).WaitAsync(Patience);
    }

    [Fact]
    public async Task Http11_request_on_the_same_port_reaches_the_next_middleware()
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false })
        {
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        var text = await http.GetStringAsync(new Uri(server.Address, "/something"));

        Assert.Equal("plain HTTP/1.1 GET /something", text);
    }

    [Fact]
    public async Task Raw_http10_request_without_headers_is_answered()
    {
        // Shorter than the HTTP/2 preface: the sniffer must decide without waiting for 24 bytes.
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, server.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync("GET /health HTTP/1.0\r\n\r\n"u8.ToArray());
        using var reader = new StreamReader(stream, Encoding.ASCII);

        var reply = await reader.ReadToEndAsync().WaitAsync(Patience);

        Assert.StartsWith("HTTP/1.1 200", reply);
        Assert.EndsWith("plain HTTP/1.0 GET /health", reply);
    }

    [Fact]
    public async Task Http2_preface_arriving_in_pieces_still_selects_http2()
    {
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(IPAddress.Loopback, server.Port);
        var stream = tcp.GetStream();
        var preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();
        byte[] emptySettings = [0, 0, 0, 4, 0, 0, 0, 0, 0];

        await stream.WriteAsync(preface.AsMemory(0, 10));
        await Task.Delay(50); // lets the server read the first piece on its own
        await stream.WriteAsync(preface.AsMemory(10));
        await stream.WriteAsync(emptySettings);
        var frameHeader = new byte[9];
        await stream.ReadExactlyAsync(frameHeader).AsTask().WaitAsync(Patience);

        Assert.Equal(4, frameHeader[3]); // the server speaks HTTP/2: its first frame is SETTINGS
    }

    [Fact]
    public async Task Http2_request_without_grpc_content_type_reaches_the_next_middleware()
    {
        using var http = server.CreateRawHttp2Client();

        var text = await http.GetStringAsync("/version");

        Assert.Equal("plain HTTP/2 GET /version", text);
    }

    [Fact]
    public async Task Grpc_content_type_over_http11_is_refused()
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        var request = GrpcRequest("/test.Echo/Unary", new StringValue { Value = "x" });
        request.Version = HttpVersion.Version11;
        request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        request.RequestUri = new Uri(server.Address, "/test.Echo/Unary");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UpgradeRequired, response.StatusCode);
    }

    private async Task<StringValue> Unary(string value) => await Echo.UnaryAsync(new StringValue { Value = value });

    private static HttpRequestMessage GrpcRequest(string path, IMessage message) =>
        GrpcRequest(path, GrpcFrames.Frame(message));

    private static HttpRequestMessage GrpcRequest(string path, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = content,
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.TryAddWithoutValidation("te", "trailers");
        return request;
    }

    private static string? Status(HttpResponseMessage response) => Header(response, "grpc-status");

    private static string? Message(HttpResponseMessage response) => Header(response, "grpc-message");

    private static string? Header(HttpResponseMessage response, string name) =>
        response.TrailingHeaders.TryGetValues(name, out var trailer) ? trailer.Single()
        : response.Headers.TryGetValues(name, out var header) ? header.Single()
        : null;
}
