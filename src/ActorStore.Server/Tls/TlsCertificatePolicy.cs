using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ActorStore.Server.Tls;

/// <summary>
/// Decides whether the certificate of the other end of a TLS connection is acceptable, with etcd's rules for its peer
/// flags and its client flags: the chain must end in the trusted CA file's CAs (the system's roots without it), the
/// dialed host must be in the server certificate's names, a peer's client certificate's IP names must include the
/// address it connects from (unless --experimental-peer-skip-client-san-verification; etcd's client listener does not
/// check this), an allowed CN or allowed hostname narrows who is accepted, and serials in the CRL file are refused.
/// A refusal comes with etcd's (Go's) error text.
/// </summary>
public sealed class TlsCertificatePolicy
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    /// <param name="trustedCas">CAs from the trusted CA file; null trusts the system's roots.</param>
    /// <param name="requireClientCertificate">Inbound connections must present a certificate (client cert auth or a trusted CA file).</param>
    /// <param name="skipServerVerification">Dial peers without checking their certificate (auto-TLS's self-signed certificates, as etcd).</param>
    /// <param name="revocations">The CRL as it is now; asked at every check, so a CRL replaced on disk counts at once.</param>
    public TlsCertificatePolicy(
        X509Certificate2Collection? trustedCas,
        bool requireClientCertificate,
        bool skipServerVerification,
        string? allowedCn,
        string? allowedHostname,
        Func<CertificateRevocations> revocations,
        bool verifyClientAddress)
    {
        TrustedCas = trustedCas;
        RequireClientCertificate = requireClientCertificate;
        SkipServerVerification = skipServerVerification;
        AllowedCn = string.IsNullOrEmpty(allowedCn) ? null : allowedCn;
        AllowedHostname = string.IsNullOrEmpty(allowedHostname) ? null : allowedHostname;
        Revocations = revocations;
        VerifyClientAddress = verifyClientAddress;
    }

    /// <summary>
    /// etcd's rules for client certificates from its client flags (--trusted-ca-file, --client-cert-auth,
    /// --client-crl-file, --client-cert-allowed-hostname): the client TLS listener's and the client entry's checks.
    /// </summary>
    public static TlsCertificatePolicy ForClients(string trustedCaFile, bool clientCertAuth, string crlFile, string allowedHostname)
    {
        var trusted = trustedCaFile.Length > 0 ? TlsCertificateFiles.LoadBundle(trustedCaFile) : null;
        return new TlsCertificatePolicy(
            trusted,
            // etcd's RequireAndVerifyClientCert: --client-cert-auth, or a trusted CA file on its own.
            requireClientCertificate: clientCertAuth || trusted is not null,
            skipServerVerification: false,
            allowedCn: null,
            allowedHostname,
            CertificateRevocations.Reloading(crlFile),
            // etcd's client listener does not match client certificates against the address they come from.
            verifyClientAddress: false);
    }

    public X509Certificate2Collection? TrustedCas { get; }

    public bool RequireClientCertificate { get; }

    public bool SkipServerVerification { get; }

    public string? AllowedCn { get; }

    public string? AllowedHostname { get; }

    public Func<CertificateRevocations> Revocations { get; }

    public bool VerifyClientAddress { get; }

    /// <summary>
    /// Null when <paramref name="certificate"/> is acceptable from the other end at <paramref name="remoteHost"/> (the
    /// host this member dialed, or the address an inbound connection came from); otherwise why it is refused.
    /// </summary>
    public string? Refuse(X509Certificate2? certificate, IReadOnlyList<X509Certificate2> presentedChain, TlsConnectionRole role, string remoteHost)
    {
        if (certificate is null)
        {
            return role == TlsConnectionRole.Outbound ? "tls: server didn't provide a certificate"
                : RequireClientCertificate ? "tls: client didn't provide a certificate" : null;
        }
        var verify = role == TlsConnectionRole.Outbound ? !SkipServerVerification : RequireClientCertificate;
        if (verify)
        {
            var chainError = VerifyChain(certificate, presentedChain, role);
            if (chainError is not null)
            {
                return role == TlsConnectionRole.Inbound ? "tls: failed to verify client certificate: " + chainError : chainError;
            }
            if (role == TlsConnectionRole.Outbound && !IsValidFor(certificate, remoteHost))
            {
                return $"x509: certificate is valid for {DescribeNames(certificate)}, not {remoteHost}";
            }
            if (role == TlsConnectionRole.Inbound && VerifyClientAddress && !MatchesClientAddress(certificate, remoteHost))
            {
                return $"x509: certificate is valid for {DescribeNames(certificate)}, not {remoteHost}";
            }
        }
        if (AllowedCn is not null && certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false) != AllowedCn)
        {
            return "client certificate authentication failed";
        }
        if (AllowedHostname is not null && !IsValidFor(certificate, AllowedHostname))
        {
            return "client certificate authentication failed";
        }
        CertificateRevocations revocations;
        try
        {
            revocations = Revocations();
        }
        catch (FileNotFoundException e)
        {
            // etcd reads the CRL at each handshake and refuses the connection with Go's error when it cannot.
            return $"open {e.FileName}: no such file or directory";
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return e.Message;
        }
        var revoked = revocations.Count == 0 ? null : revocations.FindRevoked(presentedChain.Count > 0 ? presentedChain : [certificate]);
        return revoked is null ? null : $"transport: certificate serial {SerialAsEtcdPrintsIt(revoked.SerialNumber)} revoked";
    }

    /// <summary>
    /// etcd prints a serial's bytes as Go's big.Int gives them, two hex digits each: the leading zero byte that DER puts
    /// before a serial whose top bit is set is not among them, a leading zero digit of the first byte is.
    /// </summary>
    internal static string SerialAsEtcdPrintsIt(string derHex)
    {
        var hex = derHex.ToLowerInvariant();
        while (hex.Length > 2 && hex.StartsWith("00", StringComparison.Ordinal))
        {
            hex = hex[2..];
        }
        return hex;
    }

    private string? VerifyChain(X509Certificate2 certificate, IReadOnlyList<X509Certificate2> presentedChain, TlsConnectionRole role)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        // As Go's verifier: a handshake builds the chain from what it was given, never from certificates fetched
        // over the network (AIA), which would hold the handshake for as long as a fetch takes.
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.ApplicationPolicy.Add(role == TlsConnectionRole.Outbound ? ServerAuth : ClientAuth);
        if (TrustedCas is not null)
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(TrustedCas);
        }
        foreach (var presented in presentedChain)
        {
            if (!presented.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span))
            {
                chain.ChainPolicy.ExtraStore.Add(presented);
            }
        }
        if (chain.Build(certificate))
        {
            return null;
        }
        var statuses = chain.ChainStatus.Select(status => status.Status).Aggregate(X509ChainStatusFlags.NoError, (all, one) => all | one);
        if ((statuses & (X509ChainStatusFlags.NotTimeValid | X509ChainStatusFlags.NotTimeNested)) != 0)
        {
            return "x509: certificate has expired or is not yet valid" + ValidityDetail(certificate, chain);
        }
        if ((statuses & X509ChainStatusFlags.NotValidForUsage) != 0)
        {
            return "x509: certificate specifies an incompatible key usage";
        }
        return "x509: certificate signed by unknown authority";
    }

    /// <summary>Go's detail for a certificate outside its validity period (the first such in the chain, leaf first).</summary>
    private static string ValidityDetail(X509Certificate2 leaf, X509Chain chain)
    {
        var now = DateTime.UtcNow;
        var outOfTime = chain.ChainElements.Select(element => element.Certificate).Prepend(leaf)
            .FirstOrDefault(certificate => now < certificate.NotBefore.ToUniversalTime() || now > certificate.NotAfter.ToUniversalTime());
        if (outOfTime is null)
        {
            return "";
        }
        var notBefore = outOfTime.NotBefore.ToUniversalTime();
        return now < notBefore
            ? $": current time {GoTime(now)} is before {GoTime(notBefore)}"
            : $": current time {GoTime(now)} is after {GoTime(outOfTime.NotAfter.ToUniversalTime())}";
    }

    /// <summary>Go's time.RFC3339 for a UTC time.</summary>
    private static string GoTime(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Go's VerifyHostname: an IP must be among the IP names, a host name must match a DNS name (wildcards too).</summary>
    private static bool IsValidFor(X509Certificate2 certificate, string host)
    {
        var (ips, dnsNames) = NamesOf(certificate);
        if (IPAddress.TryParse(host.Trim('[', ']'), out var ip))
        {
            return ips.Any(named => Same(named, ip));
        }
        return dnsNames.Any(name => MatchesDnsName(name, host));
    }

    /// <summary>etcd's check of a client certificate's names against the address the connection came from.</summary>
    private static bool MatchesClientAddress(X509Certificate2 certificate, string remoteHost)
    {
        var (ips, dnsNames) = NamesOf(certificate);
        if (ips.Count == 0 && dnsNames.Count == 0)
        {
            return true;
        }
        if (!IPAddress.TryParse(remoteHost.Trim('[', ']'), out var remote))
        {
            return false;
        }
        if (ips.Any(named => Same(named, remote)))
        {
            return true;
        }
        if (dnsNames.Count == 0)
        {
            return false;
        }
        // etcd resolves the DNS names and accepts the connection if one of them points at the remote address.
        foreach (var name in dnsNames.Where(name => !name.StartsWith("*.", StringComparison.Ordinal)))
        {
            try
            {
                if (Dns.GetHostAddresses(name).Any(address => Same(address, remote)))
                {
                    return true;
                }
            }
            catch (System.Net.Sockets.SocketException)
            {
                // An unresolvable name matches nothing.
            }
        }
        return false;
    }

    private static bool Same(IPAddress a, IPAddress b) =>
        (a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a).Equals(b.IsIPv4MappedToIPv6 ? b.MapToIPv4() : b);

    private static bool MatchesDnsName(string pattern, string host)
    {
        host = host.TrimEnd('.');
        if (pattern.StartsWith("*.", StringComparison.Ordinal))
        {
            var dot = host.IndexOf('.');
            return dot > 0 && string.Equals(pattern[1..], host[dot..], StringComparison.OrdinalIgnoreCase);
        }
        return string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The IP and DNS names of a certificate's subject alternative names.</summary>
    public static (List<IPAddress> Ips, List<string> DnsNames) NamesOf(X509Certificate2 certificate)
    {
        var ips = new List<IPAddress>();
        var dnsNames = new List<string>();
        foreach (var extension in certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>())
        {
            ips.AddRange(extension.EnumerateIPAddresses());
            dnsNames.AddRange(extension.EnumerateDnsNames());
        }
        return (ips, dnsNames);
    }

    private static string DescribeNames(X509Certificate2 certificate)
    {
        var (ips, dnsNames) = NamesOf(certificate);
        var all = ips.Select(ip => ip.ToString()).Concat(dnsNames).ToList();
        return all.Count == 0 ? "no names" : string.Join(", ", all);
    }
}
