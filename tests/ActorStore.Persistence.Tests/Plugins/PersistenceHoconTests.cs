namespace ActorStore.Persistence.Tests.Plugins;

using ActorStore.Persistence.Embedded;
using Akka.Configuration;
using Xunit;

/// <summary>The settings-to-HOCON function a member uses to pick its journal.</summary>
public sealed class PersistenceHoconTests
{
    [Fact]
    public void Sqlite_selects_the_embedded_plugins_on_the_data_dir()
    {
        var config = PersistenceHocon.Build("sqlite", connectionString: null, dataDir: "/var/lib/actorstore");

        Assert.Equal(EmbeddedPersistence.JournalPluginId, config.GetString("akka.persistence.journal.plugin"));
        Assert.Equal(EmbeddedPersistence.SnapshotStorePluginId, config.GetString("akka.persistence.snapshot-store.plugin"));
        Assert.Equal("/var/lib/actorstore", config.GetString("actorstore.persistence.sqlite.journal.data-dir"));
        Assert.Equal("/var/lib/actorstore", config.GetString("actorstore.persistence.sqlite.snapshot-store.data-dir"));
        Assert.Equal(
            "ActorStore.Persistence.Embedded.SqliteJournalPlugin, ActorStore.Persistence",
            config.GetString("actorstore.persistence.sqlite.journal.class"));
        Assert.Equal(256, config.GetInt("actorstore.persistence.sqlite.journal.max-writes-per-transaction"));
        Assert.NotNull(Type.GetType(config.GetString("actorstore.persistence.sqlite.snapshot-store.class")));
    }

    [Fact]
    public void Sql_selects_akka_persistence_sql_on_postgresql_15_with_tables_created()
    {
        const string ConnectionString = "Host=db;Username=actorstore;Password=p\"w\\d;Database=store";

        var config = PersistenceHocon.Build("sql", ConnectionString, dataDir: null);

        Assert.Equal("akka.persistence.journal.sql", config.GetString("akka.persistence.journal.plugin"));
        Assert.Equal("akka.persistence.snapshot-store.sql", config.GetString("akka.persistence.snapshot-store.plugin"));
        foreach (var section in (string[])["akka.persistence.journal.sql", "akka.persistence.snapshot-store.sql"])
        {
            Assert.Equal(ConnectionString, config.GetString($"{section}.connection-string"));
            Assert.Equal("PostgreSQL.15", config.GetString($"{section}.provider-name"));
            Assert.True(config.GetBoolean($"{section}.auto-initialize"));
            Assert.Equal(
                section.Contains("journal") ? "Akka.Persistence.Sql.Journal.SqlWriteJournal, Akka.Persistence.Sql" : "Akka.Persistence.Sql.Snapshot.SqlSnapshotStore, Akka.Persistence.Sql",
                config.GetString($"{section}.class"));
        }
    }

    [Fact]
    public void The_member_setting_chooses_the_plugin()
    {
        var settings = ConfigurationFactory.ParseString("""
            actorstore.persistence.journal {
              plugin = sql
              connection-string = "Host=db;Database=store"
              provider-name = "PostgreSQL.18"
            }
            """);

        var config = PersistenceHocon.FromActorStoreConfig(settings, dataDir: "/data");

        Assert.Equal("akka.persistence.journal.sql", config.GetString("akka.persistence.journal.plugin"));
        Assert.Equal("PostgreSQL.18", config.GetString("akka.persistence.journal.sql.provider-name"));
        Assert.Equal(
            EmbeddedPersistence.JournalPluginId,
            PersistenceHocon.FromActorStoreConfig(ConfigurationFactory.Empty, "/data").GetString("akka.persistence.journal.plugin"));
    }

    [Fact]
    public void Data_dirs_with_quotes_and_backslashes_survive_the_hocon()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "a \"quoted\" dir\\with${x}");

        var config = EmbeddedPersistence.ConfigFor(dataDir);

        Assert.Equal(Path.GetFullPath(dataDir), config.GetString("actorstore.persistence.sqlite.journal.data-dir"));
    }

    [Theory]
    [InlineData("sql", null, "/data", "connection-string")]
    [InlineData("sqlite", null, null, "data dir")]
    [InlineData("cassandra", "x", "/data", "unknown")]
    public void Incomplete_or_unknown_settings_are_refused(string plugin, string? connectionString, string? dataDir, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => PersistenceHocon.Build(plugin, connectionString, dataDir));

        Assert.Contains(expected, error.Message);
    }
}
