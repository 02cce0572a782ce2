using System.Net;
using ActorStore.Gateway.Grpc;
using ActorStore.Gateway.Http2;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace ActorStore.Gateway.Tests.Http2;

/// <summary>
/// Two loopback Kestrel servers (port 0) wired like the gateway's cleartext endpoints, one with the authority repair
/// and one without. Each answers every request with the host Kestrel saw.
/// </summary>
public sealed class AuthorityRepairServers : IAsyncLifetime
{
    private WebApplication? _withRepair;
    private WebApplication? _withoutRepair;

    public int RepairingPort { get; private set; }

    public int PlainPort { get; private set; }

    public async Task InitializeAsync()
    {
        (_withRepair, RepairingPort) = await StartAsync(repair: true);
        (_withoutRepair, PlainPort) = await StartAsync(repair: false);
    }

    public async Task DisposeAsync()
    {
        foreach (var app in new[] { _withRepair, _withoutRepair })
        {
            if (app is not null)
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }
        }
    }

    private static async Task<(WebApplication App, int Port)> StartAsync(bool repair)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.UseH2cSniffing();
            if (repair)
            {
                listen.UseHttp2AuthorityRepair();
            }
        }));
        var app = builder.Build();
        app.Run(context => context.Response.WriteAsync(context.Request.Host.Value ?? ""));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return (app, new Uri(address).Port);
    }
}
