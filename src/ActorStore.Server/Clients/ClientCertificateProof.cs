using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ActorStore.Client.Wire;
using ActorStore.Server.Tls;
using Clientpb;

namespace ActorStore.Server.Clients;

/// <summary>
/// Checks a client's certificate proof (clientpb.CertificateProof): the leaf's key signed this member's nonce, and the
/// chain passes the checks the client TLS listener makes of a client certificate (<see cref="TlsCertificatePolicy.ForClients"/>).
/// As in etcd, a certificate names a user only when the member runs with --client-cert-auth; without it every proof is
/// refused (null policy).
/// </summary>
public sealed class ClientCertificateProof(TlsCertificatePolicy? clientCertificates)
{
    /// <summary>Why a proof is refused when the member does not run with --client-cert-auth.</summary>
    public const string NoClientCertAuth = "certificate proof refused: this member does not run with --client-cert-auth";

    /// <summary>The checks for a member started with <paramref name="options"/>.</summary>
    public static ClientCertificateProof For(MemberOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ClientCertificateProof(options.ClientCertAuth
            ? TlsCertificatePolicy.ForClients(options.ClientTrustedCaFile, clientCertAuth: true, options.ClientCrlFile, options.ClientCertAllowedHostname)
            : null);
    }

    /// <summary>The user the proof names (the leaf's common name), or why it is refused.</summary>
    public ProofOutcome Check(CertificateProof proof, ReadOnlySpan<byte> nonce)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (clientCertificates is null)
        {
            return ProofOutcome.Refused(NoClientCertAuth);
        }
        if (proof.Chain.Count == 0)
        {
            return ProofOutcome.Refused("certificate proof refused: no certificate");
        }
        var chain = new List<X509Certificate2>(proof.Chain.Count);
        try
        {
            foreach (var der in proof.Chain)
            {
                chain.Add(X509CertificateLoader.LoadCertificate(der.Span));
            }
            var leaf = chain[0];
            if (!SignedByLeaf(leaf, SessionProof.SignedBytes(nonce), proof.Signature.Span))
            {
                return ProofOutcome.Refused("certificate proof refused: the signature does not match the certificate's key");
            }
            if (clientCertificates.Refuse(leaf, chain, TlsConnectionRole.Inbound, remoteHost: "") is { } refusal)
            {
                return ProofOutcome.Refused("certificate proof refused: " + refusal);
            }
            return ProofOutcome.Accepted(leaf.GetNameInfo(X509NameType.SimpleName, forIssuer: false));
        }
        catch (CryptographicException e)
        {
            return ProofOutcome.Refused("certificate proof refused: " + e.Message);
        }
        finally
        {
            foreach (var certificate in chain)
            {
                certificate.Dispose();
            }
        }
    }

    /// <summary>RSA PKCS#1 v1.5 or ECDSA (IEEE P1363 form), over SHA-256; other keys sign nothing here.</summary>
    private static bool SignedByLeaf(X509Certificate2 leaf, byte[] signed, ReadOnlySpan<byte> signature)
    {
        using var rsa = leaf.GetRSAPublicKey();
        if (rsa is not null)
        {
            return rsa.VerifyData(signed, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        using var ecdsa = leaf.GetECDsaPublicKey();
        return ecdsa is not null && ecdsa.VerifyData(signed, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }
}
