namespace ActorStore.Persistence;

using ActorStore.Persistence.Embedded;
using Akka.Configuration;
using Akka.Persistence.Sql;

/// <summary>
/// Turns ActorStore's simple persistence settings into the akka.persistence HOCON a member runs with:
/// <c>actorstore.persistence.journal.plugin = sqlite</c> (default: the embedded plugins in the data dir) or
/// <c>sql</c> (Akka.Persistence.Sql on a server database, PostgreSQL unless provider-name says otherwise),
/// with <c>actorstore.persistence.journal.connection-string</c> and <c>.provider-name</c>.
/// </summary>
public static class PersistenceHocon
{
    public const string Sqlite = "sqlite";
    public const string Sql = "sql";

    /// <summary>linq2db's name for PostgreSQL 15 and newer (LinqToDB.ProviderName.PostgreSQL15).</summary>
    public const string PostgreSqlProvider = LinqToDB.ProviderName.PostgreSQL15;

    public const string SqlJournalPluginId = "akka.persistence.journal.sql";
    public const string SqlSnapshotStorePluginId = "akka.persistence.snapshot-store.sql";

    /// <summary>
    /// The akka.persistence configuration (with the chosen plugin's defaults as fallback) for a plugin name,
    /// a connection string (required for <c>sql</c>, ignored for <c>sqlite</c>) and the member's data dir
    /// (required for <c>sqlite</c>).
    /// </summary>
    public static Config Build(string plugin, string? connectionString, string? dataDir, string? providerName = null)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        switch (plugin.Trim().ToLowerInvariant())
        {
            case "" or Sqlite:
                if (string.IsNullOrWhiteSpace(dataDir))
                {
                    throw new ConfigurationException("the sqlite persistence plugin needs the member's data dir");
                }

                return EmbeddedPersistence.ConfigFor(dataDir);
            case Sql or "postgresql":
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new ConfigurationException(
                        "actorstore.persistence.journal.plugin = sql needs actorstore.persistence.journal.connection-string");
                }

                return ConfigurationFactory.ParseString(SqlHocon(connectionString, providerName))
                    .WithFallback(SqlPersistence.DefaultConfiguration);
            default:
                throw new ConfigurationException(
                    $"unknown actorstore.persistence.journal.plugin '{plugin}': use '{Sqlite}' (embedded) or '{Sql}'");
        }
    }

    /// <summary>
    /// <see cref="Build"/> from the <c>actorstore.persistence.journal</c> section of a member's configuration.
    /// </summary>
    public static Config FromActorStoreConfig(Config config, string? dataDir)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Build(
            config.GetString("actorstore.persistence.journal.plugin", Sqlite),
            config.GetString("actorstore.persistence.journal.connection-string", null),
            dataDir,
            config.GetString("actorstore.persistence.journal.provider-name", null));
    }

    /// <summary>
    /// Akka.Persistence.Sql for journal and snapshots on one database. Tables are created on first use
    /// (auto-initialize); payloads use Akka's serialization bindings (serializer = null: the one bound to each type).
    /// </summary>
    public static string SqlHocon(string connectionString, string? providerName = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var connection = Hocon.Quote(connectionString);
        var provider = Hocon.Quote(string.IsNullOrWhiteSpace(providerName) ? PostgreSqlProvider : providerName);
        return $$"""
            akka.persistence {
              journal {
                plugin = "{{SqlJournalPluginId}}"
                sql {
                  connection-string = {{connection}}
                  provider-name = {{provider}}
                  auto-initialize = on
                }
              }
              snapshot-store {
                plugin = "{{SqlSnapshotStorePluginId}}"
                sql {
                  connection-string = {{connection}}
                  provider-name = {{provider}}
                  auto-initialize = on
                }
              }
            }
            """;
    }
}
