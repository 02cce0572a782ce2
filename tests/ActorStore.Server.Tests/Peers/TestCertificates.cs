using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ActorStore.Server.Tests.Peers;

/// <summary>Certificates made in memory the way a deployment's CA makes them: a CA, and leaves with IP and DNS names.</summary>
internal static class TestCertificates
{
    public static X509Certificate2 Ca(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddYears(1));
    }

    public static X509Certificate2 Leaf(X509Certificate2 ca, string cn, long serial, string[] ips, string[]? dnsNames = null, bool expired = false)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={cn}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var ip in ips)
        {
            names.AddIpAddress(IPAddress.Parse(ip));
        }
        foreach (var dns in dnsNames ?? [])
        {
            names.AddDnsName(dns);
        }
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var notBefore = expired ? DateTimeOffset.UtcNow.AddDays(-10) : DateTimeOffset.UtcNow.AddDays(-1);
        var notAfter = expired ? DateTimeOffset.UtcNow.AddDays(-2) : DateTimeOffset.UtcNow.AddMonths(6);
        using var certificate = request.Create(ca, notBefore, notAfter, new BigInteger(serial).ToByteArray(isUnsigned: true, isBigEndian: true));
        return certificate.CopyWithPrivateKey(key);
    }

    public static byte[] Crl(X509Certificate2 ca, params long[] revokedSerials)
    {
        var builder = new CertificateRevocationListBuilder();
        foreach (var serial in revokedSerials)
        {
            builder.AddEntry(new BigInteger(serial).ToByteArray(isUnsigned: true, isBigEndian: true), DateTimeOffset.UtcNow.AddHours(-1));
        }
        return builder.Build(ca, BigInteger.One, DateTimeOffset.UtcNow.AddDays(7), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }
}
