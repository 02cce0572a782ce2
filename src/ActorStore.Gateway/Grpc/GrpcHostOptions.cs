using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorStore.Gateway.Grpc;

/// <summary>What <see cref="GrpcHost.StartAsync"/> needs to serve gRPC (plus any HTTP endpoints) on a set of URLs.</summary>
public sealed class GrpcHostOptions
{
    /// <summary>Listen URLs as etcd takes them: http://IP:port or http://localhost:port; port 0 picks a free port.</summary>
    public required IReadOnlyList<string> Urls { get; init; }

    /// <summary>Maps the gRPC services (MapGrpcService); register what they need in <see cref="ConfigureServices"/>.</summary>
    public required Action<IEndpointRouteBuilder> MapServices { get; init; }

    public GrpcServerOptions Server { get; init; } = new();

    /// <summary>Adds middleware after gRPC, for the plain HTTP requests on the same port (/health, /version, /metrics).</summary>
    public Action<IApplicationBuilder>? ConfigureApplication { get; init; }

    /// <summary>
    /// Registers the services' dependencies; gRPC interceptors added here (Configure&lt;GrpcServiceOptions&gt;) run inside
    /// the host's own (call lifetime, status translation, message size, response compression).
    /// </summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }

    /// <summary>
    /// Runs for every endpoint after its defaults are set; an https:// URL needs it to call UseHttps
    /// (ALPN then negotiates h2 or http/1.1).
    /// </summary>
    public Action<ListenOptions, Uri>? ConfigureEndpoint { get; init; }

    /// <summary>
    /// A Unix socket on which the same server also answers gRPC (h2c only), for the member's own calls through
    /// <see cref="SelfGrpcChannel"/>; none when null. A stale socket file there is replaced.
    /// </summary>
    public string? SelfCallSocketPath { get; init; }

    /// <summary>Where the host logs; none when null.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}
