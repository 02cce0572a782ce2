using ActorStore.Gateway.Http2;
using ActorStore.Gateway.Http2.PingPolicy;
using System.Collections.Frozen;
using System.Net;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorStore.Gateway.Grpc;

/// <summary>A running Kestrel server that answers gRPC and plain HTTP on the same ports.</summary>
public sealed class GrpcHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _disposed;

    internal GrpcHost(WebApplication app, IReadOnlyList<Uri> addresses)
    {
        _app = app;
        Addresses = addresses;
    }

    /// <summary>The bound addresses, with the real port where 0 was asked for.</summary>
    public IReadOnlyList<Uri> Addresses { get; }

    /// <summary>The bound ports, in the order of <see cref="Addresses"/>.</summary>
    public IReadOnlyList<int> Ports => Addresses.Select(address => address.Port).ToArray();

    public IServiceProvider Services => _app.Services;

    public static Task<GrpcHost> StartAsync(GrpcHostOptions options, CancellationToken cancellationToken = default) =>
        Prepare(options).StartAsync(cancellationToken);

    /// <summary>
    /// Builds the server (its services, gRPC methods and request pipeline) without listening yet, so that a member
    /// can do it while it starts: most of it is one-time JIT work. <see cref="GrpcHostOptions.ConfigureApplication"/>
    /// runs only at <see cref="PreparedGrpcHost.StartAsync"/>, and nothing registered through
    /// <see cref="GrpcHostOptions.ConfigureServices"/> is created before a request needs it.
    /// </summary>
    public static PreparedGrpcHost Prepare(GrpcHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Urls.Count == 0)
        {
            throw new ArgumentException("At least one listen URL is needed.", nameof(options));
        }

        var endpoints = options.Urls.Select(ParseUrl).ToArray();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.RemoveAll<ILoggerFactory>();
        builder.Services.AddSingleton<ILoggerFactory>(new QuietGrpcLoggerFactory(options.LoggerFactory ?? NullLoggerFactory.Instance));
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton(options.Server);
        builder.Services.AddGrpc(grpc => ConfigureGrpc(grpc, options.Server));
        // Stateless: made once, not once per call as Grpc.AspNetCore makes interceptors that DI does not hold.
        builder.Services.AddSingleton<CallLifetimeInterceptor>();
        builder.Services.AddSingleton<StatusTranslationInterceptor>();
        builder.Services.AddSingleton<MessageSizeInterceptor>();
        builder.Services.AddSingleton<ResponseCompressionInterceptor>();
        options.ConfigureServices?.Invoke(builder.Services);
        // Socket reads and writes continue on the I/O thread instead of hopping to the thread pool: on a 2-core
        // member under load, every hop is a context switch the write path pays twice per request.
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            ConfigureLimits(kestrel, options.Server);
            foreach (var endpoint in endpoints)
            {
                Listen(kestrel, endpoint, options);
            }
            if (options.SelfCallSocketPath is { } socketPath)
            {
                File.Delete(socketPath);
                kestrel.ListenUnixSocket(socketPath, listen => listen.Protocols = HttpProtocols.Http2);
            }
        });

        var app = builder.Build();
        app.UseHttp2PingPolicyStreamCounting();

        // Before Grpc.AspNetCore reads the request: it takes the grpc-timeout header (see CallLifetimeInterceptor).
        app.Use(GrpcRequestGate.InvokeAsync);
        options.MapServices(app);
        var serviceNames = ((IEndpointRouteBuilder)app).DataSources
            .SelectMany(source => source.Endpoints)
            .Select(endpoint => endpoint.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method.ServiceName)
            .OfType<string>()
            .ToFrozenSet(StringComparer.Ordinal);
        app.UseRouting();
        app.Use(new UnknownGrpcMethods(serviceNames).InvokeAsync);

        // Here, not at the end of the pipeline: plain HTTP middleware after it may end every request it sees.
        app.UseEndpoints(_ => { });
        return new PreparedGrpcHost(app, options);
    }

    /// <summary>Stops accepting connections and lets calls in flight finish until <paramref name="cancellationToken"/> fires.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Open calls end as the stop begins (CallLifetimeInterceptor); the grace only bounds a handler that ignores it.
        using (var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await _app.StopAsync(grace.Token).ConfigureAwait(false);
        }

        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static void ConfigureGrpc(GrpcServiceOptions grpc, GrpcServerOptions server)
    {
        // grpc-go's wording for unknown services and methods comes from UnknownGrpcMethods instead.
        grpc.IgnoreUnknownServices = true;
        grpc.EnableDetailedErrors = false;

        // MessageSizeInterceptor applies the limit with grpc-go's error; this bound only stops absurd messages
        // from being buffered whole before it can.
        grpc.MaxReceiveMessageSize = (int)Math.Min(int.MaxValue, 2L * server.MaxReceiveMessageSize);
        grpc.MaxSendMessageSize = server.MaxSendMessageSize == int.MaxValue ? null : server.MaxSendMessageSize;

        // Outermost first: the lifetime's token and deadline are what the others and the handler see.
        grpc.Interceptors.Add<CallLifetimeInterceptor>();
        grpc.Interceptors.Add<StatusTranslationInterceptor>();
        grpc.Interceptors.Add<MessageSizeInterceptor>();
        grpc.Interceptors.Add<ResponseCompressionInterceptor>();
    }

    private static void ConfigureLimits(KestrelServerOptions kestrel, GrpcServerOptions server)
    {
        kestrel.AddServerHeader = false;
        var limits = kestrel.Limits;

        // Streams (Watch, LeaseKeepAlive) stay open and quiet for hours and carry unbounded totals.
        limits.MinRequestBodyDataRate = null;
        limits.MinResponseDataRate = null;
        limits.MaxRequestBodySize = null;
        limits.Http2.MaxStreamsPerConnection = server.MaxConcurrentStreams;

        // Windows well above HTTP/2's 64 KiB keep a busy connection from stalling on WINDOW_UPDATE round trips.
        limits.Http2.InitialConnectionWindowSize = 1024 * 1024;
        limits.Http2.InitialStreamWindowSize = 768 * 1024;
        limits.Http2.KeepAlivePingDelay = server.KeepAlivePingDelay;
        limits.Http2.KeepAlivePingTimeout = server.KeepAlivePingTimeout;
    }

    private static void Listen(KestrelServerOptions kestrel, Uri url, GrpcHostOptions options)
    {
        var configureEndpoint = options.ConfigureEndpoint;
        var https = url.Scheme == Uri.UriSchemeHttps;
        if (https && configureEndpoint is null)
        {
            throw new NotSupportedException($"The URL {url} needs TLS: pass ConfigureEndpoint to set it up.");
        }

        void Configure(ListenOptions listen)
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            if (!https)
            {
                listen.UseH2cSniffing();
            }

            configureEndpoint?.Invoke(listen, url);

            // After TLS, so that on TLS endpoints they see the decrypted HTTP/2 stream.
            listen.UseHttp2PingPolicy(options.Server.KeepAliveMinTime);
            listen.UseHttp2AuthorityRepair();
        }

        if (url.IsLoopback && !IPAddress.TryParse(url.Host.Trim('[', ']'), out _))
        {
            // "localhost": both loopback addresses when the port is fixed; Kestrel only binds port 0 on one address.
            if (url.Port == 0)
            {
                kestrel.Listen(IPAddress.Loopback, 0, Configure);
            }
            else
            {
                kestrel.ListenLocalhost(url.Port, Configure);
            }

            return;
        }

        kestrel.Listen(IPAddress.Parse(url.Host.Trim('[', ']')), url.Port, Configure);
    }

    private static Uri ParseUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"\"{text}\" is not an http:// or https:// URL.", nameof(text));
        }

        if (!url.IsLoopback && !IPAddress.TryParse(url.Host.Trim('[', ']'), out _))
        {
            // etcd refuses host names in listen URLs too: it binds addresses.
            throw new ArgumentException($"expected IP in URL for binding ({text})", nameof(text));
        }

        return url;
    }
}
