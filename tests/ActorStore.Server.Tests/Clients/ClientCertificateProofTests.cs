using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ActorStore.Client.Wire;
using ActorStore.Server.Clients;
using Clientpb;
using Google.Protobuf;
using Xunit;
using static ActorStore.Server.Tests.Clients.TestClientCertificates;

namespace ActorStore.Server.Tests.Clients;

/// <summary>A certificate proof names the leaf's common name only with a signature by the leaf's key and a chain to a trusted CA, under --client-cert-auth.</summary>
public sealed class ClientCertificateProofTests : IDisposable
{
    private static readonly byte[] Nonce = RandomNumberGenerator.GetBytes(32);
    private readonly X509Certificate2 _ca = CreateCa("test-ca");
    private readonly X509Certificate2 _otherCa = CreateCa("other-ca");

    [Fact]
    public void A_proof_signed_by_an_rsa_leaf_of_a_trusted_ca_names_its_common_name()
    {
        var outcome = CheckRsaProof(_ca, "alice", Trusting(_ca));

        Assert.Null(outcome.Refusal);
        Assert.Equal("alice", outcome.User);
    }

    [Fact]
    public void A_proof_signed_by_an_ecdsa_leaf_in_ieee_p1363_form_names_its_common_name()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var leaf = IssueLeaf(_ca, new CertificateRequest("CN=bob", key, HashAlgorithmName.SHA256));
        var signature = key.SignData(SessionProof.SignedBytes(Nonce), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

        Assert.Equal("bob", Trusting(_ca).Check(Proof(signature, leaf), Nonce).User);
    }

    [Fact]
    public void A_signature_by_another_key_or_over_another_nonce_is_refused()
    {
        var (leaf, _) = SignedByRsaLeaf(_ca, "alice", Nonce);
        var (otherLeaf, byOtherKey) = SignedByRsaLeaf(_ca, "alice", Nonce);
        var (sameNameLeaf, overOtherNonce) = SignedByRsaLeaf(_ca, "alice", new byte[32]);
        using (leaf)
        using (otherLeaf)
        using (sameNameLeaf)
        {
            var wrongKey = Trusting(_ca).Check(Proof(byOtherKey, leaf), Nonce);
            var wrongNonce = Trusting(_ca).Check(Proof(overOtherNonce, sameNameLeaf), Nonce);

            Assert.Null(wrongKey.User);
            Assert.Contains("signature does not match", wrongKey.Refusal, StringComparison.Ordinal);
            Assert.Null(wrongNonce.User);
        }
    }

    [Fact]
    public void A_leaf_of_a_ca_the_member_does_not_trust_is_refused_as_grpc_refuses_it()
    {
        var outcome = CheckRsaProof(_otherCa, "mallory", Trusting(_ca));

        Assert.Null(outcome.User);
        Assert.Equal("certificate proof refused: tls: failed to verify client certificate: x509: certificate signed by unknown authority", outcome.Refusal);
    }

    [Fact]
    public void Without_client_cert_auth_every_proof_is_refused()
    {
        var outcome = CheckRsaProof(_ca, "alice", ClientCertificateProof.For(SingleMemberOptions.For("unused") with { ClientCertAuth = false }));

        Assert.Null(outcome.User);
        Assert.Equal(ClientCertificateProof.NoClientCertAuth, outcome.Refusal);
    }

    [Fact]
    public void Garbage_in_the_chain_is_refused_not_thrown()
    {
        var proof = new CertificateProof { Signature = ByteString.CopyFrom(1, 2, 3) };
        proof.Chain.Add(ByteString.CopyFrom(4, 5, 6));

        Assert.StartsWith("certificate proof refused: ", Trusting(_ca).Check(proof, Nonce).Refusal, StringComparison.Ordinal);
    }

    /// <summary>A proof by a new RSA leaf of <paramref name="issuer"/> over <see cref="Nonce"/>, as <paramref name="checks"/> see it.</summary>
    private static ProofOutcome CheckRsaProof(X509Certificate2 issuer, string commonName, ClientCertificateProof checks)
    {
        var (leaf, signature) = SignedByRsaLeaf(issuer, commonName, Nonce);
        using (leaf)
        {
            return checks.Check(Proof(signature, leaf), Nonce);
        }
    }

    public void Dispose()
    {
        _ca.Dispose();
        _otherCa.Dispose();
    }
}
