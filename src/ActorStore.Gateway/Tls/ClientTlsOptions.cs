using System.Net.Security;

namespace ActorStore.Gateway.Tls;

/// <summary>
/// TLS for https:// client URLs, from etcd's client flags (--cert-file, --key-file, --trusted-ca-file,
/// --client-cert-auth, --auto-tls, --client-crl-file, --client-cert-allowed-hostname, --cipher-suites), checked when
/// the configuration was loaded. Empty strings mean unset.
/// </summary>
public sealed record ClientTlsOptions
{
    /// <summary>PEM certificate the member presents to clients (--cert-file); read again when it changes on disk.</summary>
    public string CertFile { get; init; } = "";

    /// <summary>PEM private key of <see cref="CertFile"/> (--key-file).</summary>
    public string KeyFile { get; init; } = "";

    /// <summary>PEM bundle of the CAs a client's certificate must chain to (--trusted-ca-file); it also makes certificates required, as in etcd.</summary>
    public string TrustedCaFile { get; init; } = "";

    /// <summary>Clients must present a certificate the trusted CAs signed (--client-cert-auth).</summary>
    public bool ClientCertAuth { get; init; }

    /// <summary>Serve with a generated self-signed certificate; only when no certificate files are given (--auto-tls).</summary>
    public bool AutoTls { get; init; }

    /// <summary>Certificate revocation list for client certificates (--client-crl-file); read again when it changes on disk.</summary>
    public string CrlFile { get; init; } = "";

    /// <summary>Accept only client certificates valid for this host name (--client-cert-allowed-hostname).</summary>
    public string AllowedHostname { get; init; } = "";

    /// <summary>TLS 1.2 cipher suites to allow, in order (--cipher-suites); empty lets the platform choose.</summary>
    public IReadOnlyList<TlsCipherSuite> CipherSuites { get; init; } = [];

    /// <summary>A certificate and key are given, as opposed to <see cref="AutoTls"/>.</summary>
    public bool HasCertificate => CertFile.Length > 0 && KeyFile.Length > 0;
}
