using ActorStore.Client;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ActorStore.EndToEnd.AkkaClient;

/// <summary>An Akka.NET program inside the test process: its own host and ActorSystem, with ActorStore wired by Akka.Hosting.</summary>
public sealed class ClientProgram : IAsyncDisposable
{
    private readonly IHost _host;

    private ClientProgram(IHost host)
    {
        _host = host;
        Client = host.Services.GetRequiredService<ActorStoreClient>();
        System = host.Services.GetRequiredService<ActorSystem>();
    }

    public ActorStoreClient Client { get; }

    public ActorSystem System { get; }

    public static async Task<ClientProgram> StartAsync(ActorStoreClientOptions options)
    {
        var host = new HostBuilder()
            .ConfigureServices(services => services.AddActorStoreClient(options).AddAkka("e2e-client", builder => builder.WithActorStore(options)))
            .Build();
        await host.StartAsync();
        return new ClientProgram(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
