using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ActorStore.Server.Certificates;

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
        request.CertificateExtensions.Add(CertificateFields.SubjectAlternativeNames(hosts));
        CertificateFields.AddLeafExtensions(request, serverAuth: true, clientAuth: true);
        var now = clock.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(365));
        // A pair cut short by a crash is made again; the key file is created anew so it is never readable by others.
        File.Delete(keyFile);
        File.Delete(certFile);
        using (var keyOut = new StreamWriter(NewFiles.Create(keyFile, privateKey: true)))
        {
            keyOut.Write(key.ExportPkcs8PrivateKeyPem());
        }
        using (var certOut = new StreamWriter(NewFiles.Create(certFile, privateKey: false)))
        {
            certOut.Write(certificate.ExportCertificatePem());
        }
        return (certFile, keyFile);
    }
}
