using ActorStore.Persistence;
using ActorStore.Persistence.Embedded;
using ActorStore.Client.Wire;
using Akka.Configuration;

namespace ActorStore.Server.Peers;

/// <summary>
/// The akka configuration of a member: the transport's addresses, over the user's configuration when there is one,
/// over the journal plugin that actorstore.persistence.journal selects, over the akka section of hocon/reference.conf
/// (carried inside this assembly), over the client protocol's serializer bindings.
/// </summary>
public static class MemberAkkaConfig
{
    /// <summary>The name of hocon/reference.conf among this assembly's resources.</summary>
    public const string ReferenceResourceName = "ActorStore.Server.reference.conf";

    /// <summary>The reference configuration: every ActorStore default, the akka section included.</summary>
    public static Config Reference()
    {
        using var stream = typeof(MemberAkkaConfig).Assembly.GetManifestResourceStream(ReferenceResourceName)
            ?? throw new InvalidOperationException($"resource {ReferenceResourceName} is missing from {typeof(MemberAkkaConfig).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }

    /// <summary>What the member's actor system runs with.</summary>
    public static Config For(MemberOptions options, PeerTransportSettings transport)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(transport);
        var config = transport.ToConfig();
        var reference = Reference();
        if (options.Hocon is { } user)
        {
            config = config.WithFallback(user);
        }
        // The journal plugin actorstore.persistence.journal names, under akka.persistence settings written out.
        var persistence = PersistenceHocon.FromActorStoreConfig(options.Hocon?.WithFallback(reference) ?? reference, options.DataDir);
        // --wal-dir: the embedded journal (the Raft log, etcd's WAL) in its own directory, snapshots stay in the data dir.
        if (options.WalDir.Length > 0 && persistence.GetString("akka.persistence.journal.plugin", "") == EmbeddedPersistence.JournalPluginId)
        {
            persistence = ConfigurationFactory.ParseString(
                $"{EmbeddedPersistence.JournalPluginId}.data-dir = {System.Text.Json.JsonSerializer.Serialize(Path.GetFullPath(options.WalDir))}").WithFallback(persistence);
        }
        // The client protocol's serializer and bindings come from the client library, which binds them the same way.
        return config.WithFallback(persistence).WithFallback(reference).WithFallback(ConfigurationFactory.ParseString(ClientMessageSerializer.Hocon));
    }

    /// <summary>
    /// The largest piece of a Raft message sent in one frame: the frame size less room for Akka's envelope (actor
    /// paths, manifest) and ours.
    /// </summary>
    public static int RaftChunkBytes(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var frame = config.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size") ?? 128_000;
        return (int)Math.Max(16 * 1024, Math.Min(int.MaxValue, frame - 16 * 1024));
    }
}
