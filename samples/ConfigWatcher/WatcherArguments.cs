using System.Security.Cryptography.X509Certificates;
using ActorStore.Client;

namespace ConfigWatcher;

/// <summary>The sample's command line; the defaults reach the single member of README.md's "two commands".</summary>
public sealed record WatcherArguments
{
    public IReadOnlyList<string> Members { get; init; } = ["http://localhost:2380"];

    public string? Cert { get; init; }

    public string? Key { get; init; }

    public string? CaCert { get; init; }

    public string? User { get; init; }

    public string? Password { get; init; }

    public bool CertAuth { get; init; }

    public string Prefix { get; init; } = "config-watcher/";

    public static WatcherArguments Parse(IReadOnlyList<string> args)
    {
        var parsed = new WatcherArguments();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value");
            parsed = name switch
            {
                "--members" => parsed with { Members = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                "--cert" => parsed with { Cert = Value() },
                "--key" => parsed with { Key = Value() },
                "--cacert" => parsed with { CaCert = Value() },
                "--user" => parsed with { User = Value() },
                "--password" => parsed with { Password = Value() },
                "--cert-auth" => parsed with { CertAuth = true },
                "--prefix" => parsed with { Prefix = Value() },
                _ => throw new ArgumentException($"unknown argument {name}"),
            };
        }
        return parsed;
    }

    public ActorStoreClientOptions ToOptions()
    {
        var options = new ActorStoreClientOptions
        {
            ClientName = "config-watcher",
            UserName = User,
            Password = Password,
            AuthenticateWithCertificate = CertAuth,
        };
        foreach (var member in Members)
        {
            options.Members.Add(member);
        }
        if (Cert is not null)
        {
            options.Certificate = X509Certificate2.CreateFromPemFile(Cert, Key ?? throw new ArgumentException("--cert needs --key"));
        }
        if (CaCert is not null)
        {
            options.TrustedCertificates.ImportFromPemFile(CaCert);
        }
        return options;
    }
}
