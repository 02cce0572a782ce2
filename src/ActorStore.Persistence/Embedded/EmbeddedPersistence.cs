using Akka;
using Akka.Actor;
namespace ActorStore.Persistence.Embedded;

using Akka.Configuration;

/// <summary>
/// Selects the embedded SQLite journal and snapshot store in HOCON. Their settings live under
/// <c>actorstore.persistence.sqlite.journal</c> and <c>actorstore.persistence.sqlite.snapshot-store</c>
/// (class, plugin-dispatcher, data-dir, max-writes-per-transaction); the defaults ship as an embedded
/// embedded-persistence.conf.
/// </summary>
public static class EmbeddedPersistence
{
    public const string JournalPluginId = "actorstore.persistence.sqlite.journal";
    public const string SnapshotStorePluginId = "actorstore.persistence.sqlite.snapshot-store";
    public const int DefaultMaxWritesPerTransaction = 256;

    private const string ResourceName = "ActorStore.Persistence.embedded-persistence.conf";

    /// <summary>The plugins' defaults (without selecting them), as shipped in the assembly.</summary>
    public static Config DefaultConfig() => ConfigurationFactory.ParseString(DefaultHocon());

    /// <summary>The text of embedded-persistence.conf.</summary>
    public static string DefaultHocon()
    {
        using var stream = typeof(EmbeddedPersistence).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"resource {ResourceName} is missing from the assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// The HOCON that makes both plugins Akka.Persistence's defaults, on <paramref name="dataDir"/>
    /// (made absolute here). Combine it with <see cref="DefaultConfig"/> as a fallback, or use <see cref="ConfigFor"/>.
    /// </summary>
    public static string HoconFor(string dataDir)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDir);
        var quoted = Hocon.Quote(Path.GetFullPath(dataDir));
        return $$"""
            akka.persistence {
              journal.plugin = "{{JournalPluginId}}"
              snapshot-store.plugin = "{{SnapshotStorePluginId}}"
            }
            {{JournalPluginId}}.data-dir = {{quoted}}
            {{SnapshotStorePluginId}}.data-dir = {{quoted}}
            """;
    }

    /// <summary><see cref="HoconFor"/> with the plugins' defaults as fallback: ready for an ActorSystem.</summary>
    public static Config ConfigFor(string dataDir) =>
        ConfigurationFactory.ParseString(HoconFor(dataDir)).WithFallback(DefaultConfig());

    /// <summary>Bytes on disk of the journal and snapshot databases in <paramref name="dataDir"/>, their -wal files included.</summary>
    public static long DiskUsageBytes(string dataDir)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDir);
        var memberDir = Path.Combine(dataDir, Sqlite.SqliteSchema.MemberDirectory);
        long total = 0;
        foreach (var layout in (ReadOnlySpan<Sqlite.SqliteLayout>)[EmbeddedSchema.JournalLayout, EmbeddedSchema.SnapshotLayout])
        {
            var database = Path.Combine(memberDir, layout.DatabaseFileName);
            total += FileLength(database) + FileLength(database + "-wal");
        }

        return total;
    }

    private static long FileLength(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (FileNotFoundException)
        {
            return 0;
        }
    }

    internal static string ReadDataDir(Config pluginConfig)
    {
        var dataDir = pluginConfig.GetString("data-dir", string.Empty);
        if (string.IsNullOrWhiteSpace(dataDir))
        {
            throw new ConfigurationException(
                "the embedded persistence plugin needs its data-dir setting (the member's data dir)");
        }

        return Path.GetFullPath(dataDir);
    }

    /// <summary>
    /// Closes a plugin's database in CoordinatedShutdown, so ActorSystem.Terminate returns with the database closed and
    /// its lock released, but only when that run ends the actor system: Akka.Remote also runs CoordinatedShutdown when
    /// a TLS handshake to a peer fails, a member is configured to outlive that (hocon/reference.conf), and must keep
    /// its journal open then.
    /// </summary>
    public static void CloseWhenSystemEnds(ActorSystem system, string taskName, IAsyncDisposable database)
    {
        var shutdown = CoordinatedShutdown.Get(system);
        shutdown.AddTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate, taskName, async () =>
        {
            if (shutdown.ShutdownReason is CoordinatedShutdown.ClrExitReason or CoordinatedShutdown.ActorSystemTerminateReason)
            {
                await database.DisposeAsync().ConfigureAwait(false);
            }
            return Done.Instance;
        });
    }
}
