using System.Globalization;
using System.Text.Json;
using ActorStore.Configuration;
using ActorStore.Server;
using ActorStore.Server.Backup;
using Etcdserverpb;
using Grpc.Core;
using Grpc.Net.Client;

namespace ActorStore.Backup;

/// <summary>
/// `actorstore snapshot save|status|restore`: etcdctl's snapshot commands (and etcdutl's restore flags) for
/// ActorStore and etcd alike. Exits 0 on success, 1 on failure with etcdctl's "Error: ..." line, 2 on bad flags.
/// </summary>
public static class SnapshotCommand
{
    public const string Name = "snapshot";

    public const string Usage = """
        Usage:
          actorstore snapshot save <file> [--endpoints 127.0.0.1:2379] [--cacert F --cert F --key F]
          actorstore snapshot status <file> [-w simple|table|json]
          actorstore snapshot restore <file> [--data-dir D] [--name N] [--initial-cluster N=URL,...]
              [--initial-cluster-token T] [--initial-advertise-peer-urls URL] [--skip-hash-check]
              [--bump-revision N [--mark-compacted]]

        save writes a member's snapshot (etcd's or ActorStore's) to <file>; status prints its hash, revision, total
        keys and size as etcdctl does; restore makes a new data dir from a snapshot of etcd 3.4 to 3.6 or ActorStore,
        for a member then started with the same --name, --initial-cluster and --initial-cluster-token.
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CancellationToken ct = default)
    {
        if (args.ToArray() is not [var verb, var file, .. var rest] || file.StartsWith('-') || !TryParseFlags(rest, out var flags, out var bad))
        {
            await stderr.WriteAsync(args.Count > 0 && args[0] is "-h" or "--help" ? "" : "actorstore snapshot: expected a command and a file\n");
            await stderr.WriteAsync(Usage);
            return 2;
        }

        if (bad is not null)
        {
            await stderr.WriteLineAsync($"flag provided but not defined: -{bad}");
            await stderr.WriteAsync(Usage);
            return 2;
        }

        try
        {
            switch (verb)
            {
                case "save":
                    await SaveAsync(file, flags, ct);
                    await stdout.WriteLineAsync($"Snapshot saved at {file}");
                    return 0;
                case "status":
                    await stdout.WriteAsync(FormatStatus(SnapshotStatus.Of(file), flags.GetValueOrDefault("w") ?? flags.GetValueOrDefault("write-out") ?? "simple"));
                    return 0;
                case "restore":
                    EtcdBackendImage restored;
                    using (var bar = ConsoleProgressBar.ForStandardError())
                    {
                        restored = SnapshotRestore.Run(RestoreRequest(file, flags), bar);
                    }
                    await stdout.WriteLineAsync(
                        $"restored snapshot {file} into {flags.GetValueOrDefault("data-dir") ?? DefaultDataDir(flags)} at revision {restored.CurrentRevision}"
                        + (restored.CompactRevision > 0 ? $", compacted at {restored.CompactRevision}" : ""));
                    return 0;
                default:
                    await stderr.WriteLineAsync($"actorstore snapshot: unknown command \"{verb}\"");
                    await stderr.WriteAsync(Usage);
                    return 2;
            }
        }
        catch (Exception e) when (e is SnapshotRestoreException or InvalidDataException or IOException or RpcException
            or InvalidOperationException or UnauthorizedAccessException or FormatException or ArgumentException)
        {
            await stderr.WriteLineAsync($"Error: {(e is RpcException rpc ? rpc.Status.Detail : e.Message)}");
            return 1;
        }
    }

    /// <summary>etcdctl's three ways of printing a snapshot's status.</summary>
    public static string FormatStatus(SnapshotStatus status, string format)
    {
        var hash = status.Hash.ToString("x", CultureInfo.InvariantCulture);
        var size = SnapshotStreamer.HumanBytes(status.TotalSize);
        switch (format)
        {
            case "json":
                return JsonSerializer.Serialize(new { hash = status.Hash, revision = status.Revision, totalKey = status.TotalKey, totalSize = status.TotalSize }) + "\n";
            case "table":
                string[] header = ["HASH", "REVISION", "TOTAL KEYS", "TOTAL SIZE"];
                string[] row = [hash, status.Revision.ToString(CultureInfo.InvariantCulture), status.TotalKey.ToString(CultureInfo.InvariantCulture), size];
                var widths = header.Select((title, i) => Math.Max(title.Length, row[i].Length)).ToArray();
                var rule = "+" + string.Join("+", widths.Select(width => new string('-', width + 2))) + "+\n";
                var titles = "|" + string.Join("|", header.Select((title, i) => " " + Center(title, widths[i]) + " ")) + "|\n";
                var values = "|" + string.Join("|", row.Select((value, i) => " " + value.PadLeft(widths[i]) + " ")) + "|\n";
                return rule + titles + rule + values + rule;
            default:
                return $"{hash}, {status.Revision}, {status.TotalKey}, {size}\n";
        }
    }

    private static string Center(string text, int width)
    {
        var left = (width - text.Length) / 2;
        return new string(' ', left) + text + new string(' ', width - text.Length - left);
    }

    private static async Task SaveAsync(string file, Dictionary<string, string?> flags, CancellationToken ct)
    {
        var endpoint = (flags.GetValueOrDefault("endpoints") ?? "127.0.0.1:2379").Split(',')[0];
        var tls = flags.ContainsKey("cacert") || flags.ContainsKey("cert");
        var address = endpoint.Contains("://", StringComparison.Ordinal) ? endpoint : (tls ? "https://" : "http://") + endpoint;
        using var handler = new SocketsHttpHandler();
        if (flags.GetValueOrDefault("cert") is { } cert && flags.GetValueOrDefault("key") is { } key)
        {
            handler.SslOptions.ClientCertificates = [System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(cert, key)];
        }

        if (flags.GetValueOrDefault("cacert") is { } caFile)
        {
            var ca = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(caFile);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
            {
                if (certificate is null || chain is null)
                {
                    return false;
                }

                chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
                return chain.Build(new System.Security.Cryptography.X509Certificates.X509Certificate2(certificate));
            };
        }

        using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler, MaxReceiveMessageSize = null });
        var partial = file + ".part";
        try
        {
            await using (var output = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                using var call = new Maintenance.MaintenanceClient(channel).Snapshot(new SnapshotRequest(), cancellationToken: ct);
                using var bar = ConsoleProgressBar.ForStandardError();
                long received = 0;
                await foreach (var chunk in call.ResponseStream.ReadAllAsync(ct))
                {
                    await output.WriteAsync(chunk.Blob.Memory, ct);
                    received += chunk.Blob.Length;
                    // Every chunk says how much is left: the total is known from the first one on.
                    bar?.Report(new SnapshotProgress("saving snapshot", received, received + (long)chunk.RemainingBytes));
                }

                await output.FlushAsync(ct);
                output.Flush(flushToDisk: true);
            }

            File.Move(partial, file, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    private static SnapshotRestoreRequest RestoreRequest(string file, Dictionary<string, string?> flags)
    {
        var name = flags.GetValueOrDefault("name") ?? "default";
        var advertise = flags.GetValueOrDefault("initial-advertise-peer-urls") ?? "http://localhost:2380";
        var cluster = flags.GetValueOrDefault("initial-cluster") ?? $"{name}={advertise}";
        var error = EtcdUrls.TryParseInitialCluster(cluster, out var members);
        if (error is not null)
        {
            throw new ArgumentException(error);
        }

        var member = new MemberOptions
        {
            Name = name,
            DataDir = flags.GetValueOrDefault("data-dir") ?? DefaultDataDir(flags),
            AdvertiseClientUrls = [],
            InitialAdvertisePeerUrls = advertise.Split(','),
            InitialCluster = members.ToDictionary(m => m.Name, m => (IReadOnlyList<string>)m.Urls),
            InitialClusterToken = flags.GetValueOrDefault("initial-cluster-token") ?? "etcd-cluster",
        };
        return new SnapshotRestoreRequest(
            file,
            member,
            SkipHashCheck: flags.ContainsKey("skip-hash-check") && flags["skip-hash-check"] is null or "true",
            BumpRevision: flags.GetValueOrDefault("bump-revision") is { } bump ? long.Parse(bump, CultureInfo.InvariantCulture) : 0,
            MarkCompacted: flags.ContainsKey("mark-compacted") && flags["mark-compacted"] is null or "true");
    }

    private static string DefaultDataDir(Dictionary<string, string?> flags) => (flags.GetValueOrDefault("name") ?? "default") + ".etcd";

    private static readonly HashSet<string> ValueFlags =
    [
        "endpoints", "cacert", "cert", "key", "w", "write-out", "data-dir", "name", "initial-cluster", "initial-cluster-token",
        "initial-advertise-peer-urls", "bump-revision",
    ];

    private static readonly HashSet<string> BooleanFlags = ["skip-hash-check", "mark-compacted"];

    /// <summary>Go's flag syntax: -f or --f, with "=value" or the next argument as the value of a flag that takes one.</summary>
    private static bool TryParseFlags(IReadOnlyList<string> args, out Dictionary<string, string?> flags, out string? unknown)
    {
        flags = new Dictionary<string, string?>(StringComparer.Ordinal);
        unknown = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith('-'))
            {
                return false;
            }

            var name = arg.TrimStart('-');
            string? value = null;
            var equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                value = name[(equals + 1)..];
                name = name[..equals];
            }

            if (ValueFlags.Contains(name))
            {
                if (value is null)
                {
                    if (++i >= args.Count)
                    {
                        return false;
                    }

                    value = args[i];
                }
            }
            else if (!BooleanFlags.Contains(name))
            {
                unknown = name;
                return true;
            }

            flags[name] = value;
        }

        return true;
    }
}
