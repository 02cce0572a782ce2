using ActorStore.Client.Remoting;
using Akka.Hosting;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ActorStore.Client;

/// <summary>Akka.Hosting: <c>services.AddAkka("app", builder => builder.WithActorStore(options))</c>.</summary>
public static class ActorStoreHostingExtensions
{
    /// <summary>
    /// Configures remoting (unless the program does), TLS, the serializer and failure detection, starts the client
    /// actor, registers it (key <see cref="ActorStoreClient"/>) and makes <see cref="ActorStoreClient"/> a service.
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
        builder.WithActors((system, registry) =>
        {
            var client = ActorStoreClient.Start(system, options);
            registry.Register<ActorStoreClient>(client.Ref);
        });
        ServicesOf(builder).TryAddSingleton(provider =>
            new ActorStoreClient(provider.GetRequiredService<ActorRegistry>().Get<ActorStoreClient>(), options));
        return builder;
    }

    /// <summary>
    /// The host's services the builder was made for. Akka.Hosting 1.5 keeps them in an internal field and offers no
    /// public way to reach them from an extension of the builder, which is where the typed client must be registered.
    /// </summary>
    private static IServiceCollection ServicesOf(AkkaConfigurationBuilder builder) =>
        typeof(AkkaConfigurationBuilder).GetField("ServiceCollection", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
            ?.GetValue(builder) as IServiceCollection
        ?? throw new InvalidOperationException("this Akka.Hosting version does not expose its service collection to WithActorStore");
}
