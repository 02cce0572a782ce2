using ActorStore.Client.Remoting;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ActorStore.Client;

/// <summary>
/// Akka.Hosting: <c>services.AddActorStoreClient(options).AddAkka("app", builder => builder.WithActorStore(options))</c>.
/// </summary>
public static class ActorStoreHostingExtensions
{
    /// <summary>
    /// Configures remoting (unless the program does), TLS, the serializer and failure detection, starts the client
    /// actor and registers it in the <see cref="ActorRegistry"/> (key <see cref="ActorStoreClient"/>).
    /// </summary>
    public static AkkaConfigurationBuilder WithActorStore(this AkkaConfigurationBuilder builder, ActorStoreClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        // The program's own remoting settings (WithRemoting, its HOCON) win over these defaults; the rest must hold.
        builder.AddHocon(ClientSystemConfig.RemotingDefaults(options), HoconAddMode.Append);
        builder.AddHocon(ClientSystemConfig.Required(options), HoconAddMode.Prepend);
        foreach (var setup in ClientSystemConfig.Setups(options))
        {
            builder.AddSetup(setup);
        }
        return builder.WithActors((system, registry) =>
        {
            var client = ActorStoreClient.Start(system, options);
            registry.Register<ActorStoreClient>(client.Ref);
        });
    }

    /// <summary>
    /// Makes <see cref="ActorStoreClient"/> a service (resolve it once the host has started). Akka.Hosting runs the
    /// AddAkka callback, and so <see cref="WithActorStore"/>, only when the service provider is already built, so the
    /// registration has to be made here, next to AddAkka.
    /// </summary>
    public static IServiceCollection AddActorStoreClient(this IServiceCollection services, ActorStoreClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.TryAddSingleton(provider =>
            new ActorStoreClient(provider.GetRequiredService<ActorRegistry>().Get<ActorStoreClient>(), options));
        return services;
    }
}
