using System.Collections.Concurrent;
using System.Net;
using ActorStore.Gateway.Grpc;
using ActorStore.Gateway.Tests.Grpc.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace ActorStore.Gateway.Tests.Grpc;

/// <summary>One loopback host (port 0) with the test services, shared by the end-to-end tests of a class.</summary>
public sealed class GrpcTestServer : IAsyncLifetime
{
    public const int MaxReceiveMessageSize = 64 * 1024;

    private GrpcHost? _host;

    /// <summary>Per-call outcome of test.Echo/Hang, keyed by the request value: did the handler see its token fire?</summary>
    public ConcurrentDictionary<string, TaskCompletionSource<bool>> Hangs { get; } = new();

    public ConcurrentDictionary<string, TaskCompletionSource> HangStarted { get; } = new();

    public int Port => _host!.Ports[0];

    public Uri Address => new($"http://127.0.0.1:{Port}");

    public async Task InitializeAsync()
    {
        _host = await GrpcHost.StartAsync(new GrpcHostOptions
        {
            Urls = ["http://127.0.0.1:0"],
            Server = new GrpcServerOptions
            {
                MaxReceiveMessageSize = MaxReceiveMessageSize,
                UnimplementedMessage = fullMethod => $"actorstore: {fullMethod} is not implemented yet",
            },
            ConfigureServices = services =>
            {
                services.AddSingleton(this);
                services.AddSingleton<EchoService>();
                services.AddSingleton<DeclaredService>();
            },
            MapServices = routes =>
            {
                routes.MapGrpcService<EchoService>();
                routes.MapGrpcService<DeclaredService>();
            },
            ConfigureApplication = app => app.Run(context =>
                context.Response.WriteAsync($"plain {context.Request.Protocol} {context.Request.Method} {context.Request.Path}")),
        });
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    /// <summary>A plain HTTP/2 (h2c) client for requests the gRPC client would not send.</summary>
    public HttpClient CreateRawHttp2Client() => new(new SocketsHttpHandler { UseProxy = false })
    {
        BaseAddress = Address,
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Timeout = TimeSpan.FromSeconds(10),
    };

    public TaskCompletionSource<bool> HangOutcome(string key) =>
        Hangs.GetOrAdd(key, _ => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));

    public TaskCompletionSource HangStart(string key) =>
        HangStarted.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
