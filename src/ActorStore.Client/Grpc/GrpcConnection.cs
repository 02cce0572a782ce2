using System.Collections.Concurrent;
using System.Net;
using System.Net.Http;
using ActorStore.Protocol.Errors;
using Google.Protobuf;

namespace ActorStore.Client.Grpc;

/// <summary>
/// gRPC calls to one server address over HttpClient's HTTP/2 (h2c with prior knowledge for http://).
/// Thread-safe; calls are multiplexed on pooled connections, with more connections opened when one is full of streams.
/// </summary>
public sealed class GrpcConnection : IDisposable
{
    private const string GrpcContentType = "application/grpc";

    private readonly HttpClient _http;
    private readonly GrpcConnectionOptions _options;
    private readonly ConcurrentDictionary<string, Uri> _methodUris = new(StringComparer.Ordinal);

    public GrpcConnection(Uri address, GrpcConnectionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"A gRPC address is http:// or https://, not {address}.", nameof(address));
        }

        Address = address;
        _options = options ?? new GrpcConnectionOptions();
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            ConnectTimeout = _options.ConnectTimeout,
            KeepAlivePingDelay = _options.KeepAlivePingDelay,
            KeepAlivePingTimeout = _options.KeepAlivePingTimeout,
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
        };
        _options.ConfigureHandler?.Invoke(handler);
        _http = new HttpClient(handler, disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }

    public Uri Address { get; }

    /// <summary>One request, one response. <paramref name="method"/> is the full path, e.g. "/etcdserverpb.KV/Range".</summary>
    public async Task<TResponse> UnaryAsync<TRequest, TResponse>(
        string method,
        TRequest request,
        MessageParser<TResponse> parser,
        CallOptions? options = null)
        where TRequest : IMessage
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(parser);
        var content = new ByteArrayContent(GrpcClientFraming.Frame(request, _options.MaxSendMessageSize));
        using var call = StartCall(method, content, options, streaming: false);
        var response = await call.ReadMessageAsync(parser, default).ConfigureAwait(false)
            ?? throw new RpcException(StatusCode.Internal, "grpc: the server sent no response message");
        if (await call.ReadMessageAsync(parser, default).ConfigureAwait(false) is not null)
        {
            throw call.Fail(new RpcException(
                StatusCode.Internal,
                "cardinality violation: expected <EOF> for non server-streaming RPCs, but received another message"));
        }

        return response;
    }

    /// <summary>One request, a stream of responses. Dispose the stream to cancel the call early.</summary>
    public GrpcResponseStream<TResponse> ServerStreaming<TRequest, TResponse>(
        string method,
        TRequest request,
        MessageParser<TResponse> parser,
        CallOptions? options = null)
        where TRequest : IMessage
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(parser);
        var content = new ByteArrayContent(GrpcClientFraming.Frame(request, _options.MaxSendMessageSize));
        var call = StartCall(method, content, options, streaming: true);
        return new GrpcResponseStream<TResponse>(call, parser, ownsCall: true);
    }

    /// <summary>Streams both ways (Watch, LeaseKeepAlive). The call starts at once; dispose it to cancel.</summary>
    public GrpcDuplexCall<TRequest, TResponse> DuplexStreaming<TRequest, TResponse>(
        string method,
        MessageParser<TResponse> parser,
        CallOptions? options = null)
        where TRequest : IMessage
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(parser);
        var content = new DuplexRequestContent();
        var call = StartCall(method, content, options, streaming: true);
        return new GrpcDuplexCall<TRequest, TResponse>(call, content, parser, _options.MaxSendMessageSize);
    }

    public void Dispose() => _http.Dispose();

    private GrpcClientCall StartCall(string method, HttpContent content, CallOptions? options, bool streaming)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        content.Headers.TryAddWithoutValidation("content-type", GrpcContentType);
        var request = new HttpRequestMessage(HttpMethod.Post, MethodUri(method))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        request.Headers.TryAddWithoutValidation("te", "trailers");
        if (options?.Headers is { } headers)
        {
            foreach (var header in headers)
            {
                request.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        var call = new GrpcClientCall(request, options, _options, streaming);
        call.Start(_http);
        return call;
    }

    private Uri MethodUri(string method) =>
        _methodUris.TryGetValue(method, out var uri) ? uri : _methodUris.GetOrAdd(method, new Uri(Address, method));
}
