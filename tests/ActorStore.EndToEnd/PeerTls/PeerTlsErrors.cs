namespace ActorStore.EndToEnd.PeerTls;

/// <summary>
/// The "error" texts etcd 3.4.23 (built with Go 1.19) logs with "rejected connection", read off its output by these
/// tests; ActorStore is expected to log the same text for the same cause.
/// </summary>
public static class PeerTlsErrors
{
    public const string NotTls = "tls: first record does not look like a TLS handshake";
    public const string NoClientCertificate = "tls: client didn't provide a certificate";

    /// <summary>
    /// A certificate signed by a trusted CA that the peer refused for its CN (--peer-cert-allowed-cn) or its names
    /// (--peer-cert-allowed-hostname): etcd logs the same text for both.
    /// </summary>
    public const string NotAllowed = "client certificate authentication failed";
    public const string UnknownAuthority = "tls: failed to verify client certificate: x509: certificate signed by unknown authority";

    /// <summary>
    /// The connecting side aborted the handshake with a TLS alert: it refused the certificate this member presented.
    /// The alert's name follows ("bad certificate" from etcd 3.4.23 as the dialer); which alert a dialer sends is its
    /// TLS library's choice, so only the prefix is the contract.
    /// </summary>
    public const string RemoteAlert = "remote error: tls: ";

    /// <summary>
    /// A certificate that the --peer-crl-file lists; the serial's bytes in lowercase hex, two digits each, as Go prints
    /// big.Int.Bytes() (no leading zero byte, but a leading zero digit kept: 04028c..., never 4028c...).
    /// </summary>
    public static string Revoked(IssuedCertificate certificate)
    {
        var serial = certificate.Serial.ToLowerInvariant();
        if (serial.Length % 2 == 1)
        {
            serial = "0" + serial;
        }
        while (serial.Length > 2 && serial.StartsWith("00", StringComparison.Ordinal))
        {
            serial = serial[2..];
        }
        return $"transport: certificate serial {serial} revoked";
    }
}
