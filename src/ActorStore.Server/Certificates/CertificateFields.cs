using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ActorStore.Server.Certificates;

/// <summary>
/// The extensions a member's or a client's TLS certificate carries, shared by --peer-auto-tls and `actorstore certs`
/// so that both make certificates Go's TLS reads the same way.
/// </summary>
public static class CertificateFields
{
    public const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
    public const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    /// <summary>The host as an IP address when it is one ("[::1]" too, as URLs write IPv6 hosts).</summary>
    public static bool TryParseIpAddress(string host, out IPAddress address) =>
        IPAddress.TryParse(host.Trim('[', ']'), out address!);

    /// <summary>Subject alternative names for the hosts: IP addresses as IP entries, everything else as DNS names.</summary>
    public static X509Extension SubjectAlternativeNames(IEnumerable<string> hosts)
    {
        var names = new SubjectAlternativeNameBuilder();
        foreach (var host in hosts.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (TryParseIpAddress(host, out var address))
            {
                names.AddIpAddress(address);
            }
            else
            {
                names.AddDnsName(host);
            }
        }
        return names.Build();
    }

    /// <summary>
    /// A leaf (not a CA) for TLS: digital signature and key encipherment, and the extended key usages asked for.
    /// Members get both: they serve clients and peers, and dial their peers as clients.
    /// </summary>
    public static void AddLeafExtensions(CertificateRequest request, bool serverAuth, bool clientAuth)
    {
        var usages = new OidCollection();
        if (serverAuth)
        {
            usages.Add(new Oid(ServerAuthOid));
        }
        if (clientAuth)
        {
            usages.Add(new Oid(ClientAuthOid));
        }
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, critical: false));
    }
}
