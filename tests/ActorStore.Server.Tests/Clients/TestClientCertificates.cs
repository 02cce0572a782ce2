using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ActorStore.Client.Wire;
using ActorStore.Server.Clients;
using ActorStore.Server.Tls;
using Clientpb;
using Google.Protobuf;

namespace ActorStore.Server.Tests.Clients;

/// <summary>CAs, client leaves and certificate proofs made in memory, for the tests of certificate sessions.</summary>
internal static class TestClientCertificates
{
    /// <summary>The member's checks of client certificates, trusting <paramref name="ca"/> alone.</summary>
    public static ClientCertificateProof Trusting(X509Certificate2 ca) =>
        new(new TlsCertificatePolicy([X509CertificateLoader.LoadCertificate(ca.RawData)], requireClientCertificate: true, skipServerVerification: false,
            allowedCn: null, allowedHostname: null, () => CertificateRevocations.None, verifyClientAddress: false));

    public static CertificateProof Proof(byte[] signature, X509Certificate2 leaf)
    {
        var proof = new CertificateProof { Signature = ByteString.CopyFrom(signature) };
        proof.Chain.Add(ByteString.CopyFrom(leaf.RawData));
        return proof;
    }

    /// <summary>A new RSA leaf of <paramref name="ca"/> and its key's signature over <paramref name="nonce"/>'s signed bytes.</summary>
    public static (X509Certificate2 Leaf, byte[] Signature) SignedByRsaLeaf(X509Certificate2 ca, string commonName, byte[] nonce)
    {
        using var key = RSA.Create(2048);
        var leaf = IssueLeaf(ca, new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        return (leaf, key.SignData(SessionProof.SignedBytes(nonce), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    public static X509Certificate2 CreateCa(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    public static X509Certificate2 IssueLeaf(X509Certificate2 ca, CertificateRequest request)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        // Signed with the CA's RSA key whatever the leaf's key is.
        using var caKey = ca.GetRSAPrivateKey()!;
        using var withoutKey = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForRSA(caKey, RSASignaturePadding.Pkcs1),
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10), RandomNumberGenerator.GetBytes(8));
        return X509CertificateLoader.LoadCertificate(withoutKey.RawData);
    }
}
