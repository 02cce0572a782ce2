using ActorStore.Server.Log;
using ActorStore.Server.Peers;
using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorStore.Server;

/// <summary>
/// The generic host a member owns, running its Akka actor system (Akka.Hosting). Akka logs through the member's
/// logger factory, so its lines are JSON lines like the member's own. Stopping the host stops the actor system.
/// </summary>
internal sealed class MemberActorHost : IAsyncDisposable
{
    private readonly IHost _host;

    private MemberActorHost(IHost host, ActorSystem system)
    {
        _host = host;
        System = system;
    }

    public ActorSystem System { get; }

    public static async Task<MemberActorHost> StartAsync(Config akka, ILoggerFactory loggers, CancellationToken ct, Akka.Actor.Setup.Setup? setup = null)
    {
        var host = new HostBuilder()
            .ConfigureServices(services =>
            {
                // The member starts and stops the host; the host must not react to the process's signals itself.
                services.AddSingleton<IHostLifetime, MemberOwnedHostLifetime>();
                services.AddAkka(PeerRefs.SystemName, builder =>
                {
                    builder.AddHocon(akka, HoconAddMode.Prepend);
                    if (setup is not null)
                    {
                        builder.AddSetup(setup);
                    }
                    builder.AddSetup(new MemberLogSetup(loggers));
                    builder.ConfigureLoggers(logging =>
                    {
                        logging.ClearLoggers();
                        logging.AddLogger<AkkaLogForwarder>();
                    });
                });
            })
            .Build();
        try
        {
            await host.StartAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            host.Dispose();
            throw;
        }
        return new MemberActorHost(host, host.Services.GetRequiredService<ActorSystem>());
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync().ConfigureAwait(false);
            // CoordinatedShutdown leaves the actor system running (hocon/reference.conf says why): end it here.
            await System.Terminate().ConfigureAwait(false);
        }
        finally
        {
            _host.Dispose();
        }
    }

    /// <summary>A lifetime that waits for nothing and listens to no signal: the member decides when the host stops.</summary>
    private sealed class MemberOwnedHostLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
