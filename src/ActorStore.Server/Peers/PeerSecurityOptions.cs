namespace ActorStore.Server.Peers;

/// <summary>
/// TLS between members, from etcd's --peer-* flags (or peer-transport-security in its YAML, ETCD_PEER_* variables,
/// actorstore.security.peer.* in HOCON). Checked when the configuration is loaded: a member with https:// peer
/// URLs has a certificate and key, or <see cref="AutoTls"/>; the named files existed then. Empty strings mean unset.
/// </summary>
public sealed record PeerSecurityOptions
{
    /// <summary>Plain TCP between members, as etcd's defaults give.</summary>
    public static PeerSecurityOptions None { get; } = new();

    /// <summary>PEM certificate this member presents to its peers, as server and as client (--peer-cert-file).</summary>
    public string CertFile { get; init; } = "";

    /// <summary>PEM private key of <see cref="CertFile"/> (--peer-key-file).</summary>
    public string KeyFile { get; init; } = "";

    /// <summary>PEM bundle of the CAs a peer's certificate must chain to (--peer-trusted-ca-file).</summary>
    public string TrustedCaFile { get; init; } = "";

    /// <summary>Peers dialing in must present a certificate signed by <see cref="TrustedCaFile"/> (--peer-client-cert-auth).</summary>
    public bool ClientCertAuth { get; init; }

    /// <summary>Use a generated self-signed certificate; only when no certificate files are given (--peer-auto-tls).</summary>
    public bool AutoTls { get; init; }

    /// <summary>Accept only peer certificates with this common name (--peer-cert-allowed-cn); never set with <see cref="AllowedHostname"/>.</summary>
    public string AllowedCn { get; init; } = "";

    /// <summary>Accept only peer certificates valid for this host name (--peer-cert-allowed-hostname).</summary>
    public string AllowedHostname { get; init; } = "";

    /// <summary>PEM certificate revocation list for peer certificates (--peer-crl-file).</summary>
    public string CrlFile { get; init; } = "";

    /// <summary>Accept a peer's client certificate whatever addresses it names (--experimental-peer-skip-client-san-verification).</summary>
    public bool SkipClientSanVerification { get; init; }

    /// <summary>The member's listen peer URLs are https:// (or unixs://): its peer listener speaks TLS.</summary>
    public bool Https { get; init; }

    /// <summary>A certificate and key are given, as opposed to <see cref="AutoTls"/> or plain TCP.</summary>
    public bool HasCertificate => CertFile.Length > 0 && KeyFile.Length > 0;
}
