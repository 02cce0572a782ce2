using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ActorStore.Server.Certificates;
using ActorStore.Server.Tls;

namespace ActorStore.Certificates;

/// <summary>The CA `actorstore certs` signs with: made here, or read back from ca.pem and ca-key.pem.</summary>
internal sealed class CertificateAuthority : IDisposable
{
    public static readonly TimeSpan CaValidity = TimeSpan.FromDays(3652);
    public static readonly TimeSpan LeafValidity = TimeSpan.FromDays(1826);

    // Clocks of the machines that check a certificate made a moment ago may be a little behind this one.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private CertificateAuthority(X509Certificate2 certificate) => Certificate = certificate;

    /// <summary>The CA's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    public static CertificateAuthority Create(TimeProvider clock)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=actorstore CA,O=actorstore", key, HashAlgorithmName.SHA256);
        // A CA that signs leaves only (path length 0), named by its key so that chains are found by key, not by name.
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var now = clock.GetUtcNow();
        return new CertificateAuthority(request.CreateSelfSigned(now - ClockSkew, now + CaValidity));
    }

    /// <summary>Reads a CA made before (by this command or by cfssl/openssl); the key must belong to the certificate.</summary>
    public static CertificateAuthority Load(string certFile, string keyFile, TimeProvider clock)
    {
        var certificate = TlsCertificateFiles.LoadPem(certFile, keyFile);
        var constraints = certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        string? problem = null;
        if (constraints is null || !constraints.CertificateAuthority)
        {
            problem = $"{certFile} is not a CA certificate (its basic constraints do not say CA:TRUE)";
        }
        else if (certificate.NotAfter.ToUniversalTime() <= clock.GetUtcNow().UtcDateTime)
        {
            problem = $"the CA in {certFile} expired on {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC";
        }
        if (problem is not null)
        {
            certificate.Dispose();
            throw new InvalidDataException(problem);
        }
        return new CertificateAuthority(certificate);
    }

    public string CertificatePem() => Certificate.ExportCertificatePem();

    public string PrivateKeyPem()
    {
        using var key = (AsymmetricAlgorithm?)Certificate.GetECDsaPrivateKey() ?? Certificate.GetRSAPrivateKey()
            ?? throw new InvalidOperationException("the CA has no private key");
        return key.ExportPkcs8PrivateKeyPem();
    }

    /// <summary>
    /// Signs a new ECDSA P-256 leaf whose common name is <paramref name="commonName"/>. It is valid for five years, or
    /// until the CA expires if that comes first (a certificate cannot outlive its issuer).
    /// </summary>
    public IssuedCertificate Issue(string commonName, IReadOnlyList<string> hosts, bool serverAuth, bool clientAuth, TimeProvider clock)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        // The builder encodes in reverse order of the calls; this gives O=actorstore, CN=NAME like the CA's name.
        subject.AddCommonName(commonName);
        subject.AddOrganizationName("actorstore");
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        CertificateFields.AddLeafExtensions(request, serverAuth, clientAuth);
        if (hosts.Count > 0)
        {
            request.CertificateExtensions.Add(CertificateFields.SubjectAlternativeNames(hosts));
        }
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(
            Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));

        var now = clock.GetUtcNow();
        var issuerFrom = new DateTimeOffset(Certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        var issuerUntil = new DateTimeOffset(Certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        var notBefore = Max(now - ClockSkew, issuerFrom);
        var notAfter = Min(now + LeafValidity, issuerUntil);
        using var signer = SignatureGenerator();
        using var certificate = request.Create(Certificate.SubjectName, signer.Generator, notBefore, notAfter, NewSerialNumber());
        return new IssuedCertificate(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem(), notAfter);
    }

    public void Dispose() => Certificate.Dispose();

    /// <summary>A positive 16-byte random serial number: unique without keeping a counter anywhere.</summary>
    private static byte[] NewSerialNumber()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
        return serial;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>Signs with the CA's key, ECDSA or RSA (a CA made with openssl is often RSA).</summary>
    private CaSigner SignatureGenerator()
    {
        if (Certificate.GetECDsaPrivateKey() is { } ecdsa)
        {
            return new CaSigner(X509SignatureGenerator.CreateForECDsa(ecdsa), ecdsa);
        }
        if (Certificate.GetRSAPrivateKey() is { } rsa)
        {
            return new CaSigner(X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1), rsa);
        }
        throw new InvalidDataException("the CA's key is neither ECDSA nor RSA; it cannot sign here");
    }

    private sealed record CaSigner(X509SignatureGenerator Generator, AsymmetricAlgorithm Key) : IDisposable
    {
        public void Dispose() => Key.Dispose();
    }
}
