using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ActorStore.Server.Tls;

/// <summary>
/// Reads a member's certificate (peer or client side) from etcd-style PEM files, or makes the self-signed one
/// auto-TLS uses.
/// </summary>
public static class TlsCertificateFiles
{
    /// <summary>A certificate and its private key from PEM files (--cert-file and --key-file, or their --peer-* twins).</summary>
    public static X509Certificate2 LoadPem(string certFile, string keyFile)
    {
        X509Certificate2 loaded;
        try
        {
            loaded = X509Certificate2.CreateFromPemFile(certFile, keyFile);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            // Go's tls.X509KeyPair says the same of a key that belongs to another certificate.
            throw new InvalidDataException(e.Message.Contains("does not match", StringComparison.OrdinalIgnoreCase)
                ? "tls: private key does not match public key"
                : $"cannot read the certificate {certFile} with key {keyFile}: {e.Message}", e);
        }
        if (!KeyMatches(loaded))
        {
            loaded.Dispose();
            throw new InvalidDataException("tls: private key does not match public key");
        }
        // A PKCS#12 round trip gives a certificate whose key every TLS stack on the platform can use.
        using (loaded)
        {
            return X509CertificateLoader.LoadPkcs12(loaded.Export(X509ContentType.Pkcs12), password: null);
        }
    }

    private static bool KeyMatches(X509Certificate2 certificate)
    {
        using var rsa = certificate.GetRSAPrivateKey();
        if (rsa is not null)
        {
            using var rsaPublic = certificate.GetRSAPublicKey();
            return rsaPublic is not null && rsa.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(rsaPublic.ExportSubjectPublicKeyInfo());
        }
        using var ecdsa = certificate.GetECDsaPrivateKey();
        if (ecdsa is not null)
        {
            using var ecdsaPublic = certificate.GetECDsaPublicKey();
            return ecdsaPublic is not null && ecdsa.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(ecdsaPublic.ExportSubjectPublicKeyInfo());
        }
        return certificate.HasPrivateKey;
    }

    /// <summary>The CA certificates of a PEM bundle (--trusted-ca-file, --peer-trusted-ca-file).</summary>
    public static X509Certificate2Collection LoadBundle(string path)
    {
        var bundle = new X509Certificate2Collection();
        try
        {
            bundle.ImportFromPemFile(path);
        }
        catch (CryptographicException e)
        {
            throw new InvalidDataException($"cannot read the CA bundle {path}: {e.Message}", e);
        }
        if (bundle.Count == 0)
        {
            throw new InvalidDataException($"the CA bundle {path} holds no certificate");
        }
        return bundle;
    }

    /// <summary>
    /// etcd's --auto-tls and --peer-auto-tls: a self-signed certificate for the member's client or peer hosts, kept as
    /// cert.pem and key.pem in <paramref name="directory"/> (etcd's data-dir/fixtures/client or fixtures/peer) and
    /// reused on restart.
    /// </summary>
    public static (string CertFile, string KeyFile) EnsureSelfSigned(string directory, IEnumerable<string> hosts, TimeProvider clock)
    {
        var certFile = Path.Combine(directory, "cert.pem");
        var keyFile = Path.Combine(directory, "key.pem");
        if (File.Exists(certFile) && File.Exists(keyFile))
        {
            return (certFile, keyFile);
        }
        Directory.CreateDirectory(directory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP521);
        var request = new CertificateRequest("O=etcd", key, HashAlgorithmName.SHA512);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var host in hosts.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (IPAddress.TryParse(host.Trim('[', ']'), out var ip))
            {
                names.AddIpAddress(ip);
            }
            else
            {
                names.AddDnsName(host);
            }
        }
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        var now = clock.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(365));
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.WriteAllText(certFile, certificate.ExportCertificatePem());
        return (certFile, keyFile);
    }
}
