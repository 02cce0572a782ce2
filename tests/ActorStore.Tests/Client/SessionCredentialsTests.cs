using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ActorStore.Client;
using ActorStore.Client.Sessions;
using ActorStore.Client.Wire;
using Clientpb;
using Google.Protobuf;
using Xunit;

namespace ActorStore.Tests.Client;

public sealed class SessionCredentialsTests
{
    private static readonly SessionChallenge Challenge = new() { Nonce = ByteString.CopyFromUtf8("a fresh nonce") };

    [Fact]
    public void Without_credentials_the_session_is_anonymous()
    {
        var open = SessionCredentials.Answer(Challenge, new ActorStoreClientOptions { ClientName = "svc" });

        Assert.Equal(OpenSession.CredentialsOneofCase.None, open.CredentialsCase);
        Assert.Equal(Challenge.Nonce, open.Nonce);
        Assert.Equal("svc", open.ClientName);
    }

    [Fact]
    public void An_rsa_certificate_proves_its_key_with_pkcs1_sha256()
    {
        using var key = RSA.Create(2048);
        using var certificate = new CertificateRequest("CN=root", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        var open = SessionCredentials.Answer(Challenge, new ActorStoreClientOptions { Certificate = certificate, AuthenticateWithCertificate = true });

        Assert.Equal(certificate.RawData, open.Certificate.Chain[0].ToByteArray());
        Assert.True(key.VerifyData(SessionProof.SignedBytes(Challenge.Nonce.Span), open.Certificate.Signature.ToByteArray(), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public void An_ecdsa_certificate_proves_its_key_in_ieee_p1363_form()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=root", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        var open = SessionCredentials.Answer(Challenge, new ActorStoreClientOptions { Certificate = certificate, AuthenticateWithCertificate = true });

        Assert.True(key.VerifyData(SessionProof.SignedBytes(Challenge.Nonce.Span), open.Certificate.Signature.ToByteArray(), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }
}
