using System.Security.Cryptography.X509Certificates;

namespace ActorStore.Client;

/// <summary>How an Akka.NET program reaches ActorStore: the members' peer addresses, TLS material and credentials.</summary>
public sealed class ActorStoreClientOptions
{
    /// <summary>The members' peer URLs (<c>https://10.0.0.1:2380</c>) or host:port; more are learned from the member list.</summary>
    public IList<string> Members { get; } = new List<string>();

    /// <summary>The client's certificate with its private key: presented to the members' peer TLS (mutual TLS).</summary>
    public X509Certificate2? Certificate { get; set; }

    /// <summary>The CA certificates the members' peer certificates chain to; empty means the system's trust store.</summary>
    public X509Certificate2Collection TrustedCertificates { get; } = new();

    /// <summary>etcd user name; with <see cref="Password"/>, the session authenticates as etcd's Authenticate does.</summary>
    public string? UserName { get; set; }

    /// <summary>etcd password of <see cref="UserName"/>.</summary>
    public string? Password { get; set; }

    /// <summary>Act as the client certificate's common name (members run with --client-cert-auth), as a TLS etcd client does.</summary>
    public bool AuthenticateWithCertificate { get; set; }

    /// <summary>How long a request waits for its answer, failovers included.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often a request that is safe to repeat is sent again after a member was lost.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>How long a member may take to open a session before the client tries the next one.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many requests may wait for a session at once; more are refused (Unavailable).</summary>
    public int MaxQueuedRequests { get; set; } = 10_000;

    /// <summary>The name of the client actor in the program's actor system.</summary>
    public string ActorName { get; set; } = "actorstore";

    /// <summary>The program's name in the members' logs.</summary>
    public string ClientName { get; set; } = Environment.MachineName;
}
