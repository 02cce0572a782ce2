using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ActorStore.Client.Wire;
using Clientpb;
using Google.Protobuf;

namespace ActorStore.Client.Sessions;

/// <summary>The OpenSession a client answers a member's challenge with: no credentials, a password, or a certificate proof.</summary>
internal static class SessionCredentials
{
    public static OpenSession Answer(SessionChallenge challenge, ActorStoreClientOptions options)
    {
        var open = new OpenSession { Nonce = challenge.Nonce, ClientName = options.ClientName };
        if (options.AuthenticateWithCertificate)
        {
            open.Certificate = Prove(challenge.Nonce.Span, options.Certificate
                ?? throw new InvalidOperationException("AuthenticateWithCertificate needs a Certificate"));
        }
        else if (!string.IsNullOrEmpty(options.UserName))
        {
            open.Password = new PasswordCredentials { Name = options.UserName, Password = options.Password ?? "" };
        }
        return open;
    }

    /// <summary>Signs the nonce with the certificate's private key; the chain starts with the leaf.</summary>
    public static CertificateProof Prove(ReadOnlySpan<byte> nonce, X509Certificate2 certificate)
    {
        var signed = SessionProof.SignedBytes(nonce);
        byte[] signature;
        using (var rsa = certificate.GetRSAPrivateKey())
        using (var ecdsa = rsa is null ? certificate.GetECDsaPrivateKey() : null)
        {
            signature = rsa is not null
                ? rsa.SignData(signed, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                : ecdsa?.SignData(signed, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
                    ?? throw new InvalidOperationException("the client certificate has no RSA or ECDSA private key");
        }
        var proof = new CertificateProof { Signature = ByteString.CopyFrom(signature) };
        proof.Chain.Add(ByteString.CopyFrom(certificate.RawData));
        return proof;
    }
}
