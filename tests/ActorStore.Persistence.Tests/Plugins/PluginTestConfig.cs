namespace ActorStore.Persistence.Tests.Plugins;

using Akka.Configuration;

/// <summary>Settings every plugin test system shares: quiet logs and the failing serializer's binding.</summary>
public static class PluginTestConfig
{
    public const string Hocon = """
        akka.loglevel = WARNING
        akka.stdout-loglevel = WARNING
        akka.actor.serializers.failing = "ActorStore.Persistence.Tests.Plugins.FailingSerializer, ActorStore.Persistence.Tests"
        akka.actor.serialization-bindings {
          "ActorStore.Persistence.Tests.Plugins.NotSerializable, ActorStore.Persistence.Tests" = failing
        }
        akka.persistence.journal.sql.warn-on-auto-init-fail = true
        """;

    /// <summary>A storage's plugin configuration with the shared settings.</summary>
    public static Config With(Config storage) => ConfigurationFactory.ParseString(Hocon).WithFallback(storage);
}
