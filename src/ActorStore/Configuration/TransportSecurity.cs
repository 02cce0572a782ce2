namespace ActorStore.Configuration;

/// <summary>
/// TLS settings of one side of a member: the client side (--cert-file, --key-file, ...) or the peer side
/// (--peer-cert-file, --peer-key-file, ...). Empty strings mean "not set", as in etcd.
/// </summary>
public sealed record TransportSecurity
{
    public static TransportSecurity None { get; } = new();

    public string CertFile { get; init; } = "";

    public string KeyFile { get; init; } = "";

    /// <summary>Require and verify a client certificate.</summary>
    public bool ClientCertAuth { get; init; }

    public string TrustedCaFile { get; init; } = "";

    /// <summary>Certificate revocation list (--client-crl-file / --peer-crl-file).</summary>
    public string CrlFile { get; init; } = "";

    /// <summary>Accept only client certificates valid for this host name.</summary>
    public string AllowedHostname { get; init; } = "";

    /// <summary>Accept only client certificates with this common name (peer side only, --peer-cert-allowed-cn).</summary>
    public string AllowedCn { get; init; } = "";

    /// <summary>Generate a self-signed certificate when no certificate files are given.</summary>
    public bool AutoTls { get; init; }

    /// <summary>Do not check the SAN of peer client certificates (--experimental-peer-skip-client-san-verification).</summary>
    public bool SkipClientSanVerification { get; init; }

    /// <summary>True when certificate files are configured (as opposed to plain text or auto TLS).</summary>
    public bool HasCertificate => CertFile.Length > 0 && KeyFile.Length > 0;
}
