using System.Security.Cryptography.X509Certificates;
using ActorStore.Server.Peers;
using ActorStore.Server.Tls;
using Xunit;

namespace ActorStore.Server.Tests.Peers;

public sealed class TlsCertificatePolicyTests : IDisposable
{
    private readonly X509Certificate2 _ca = TestCertificates.Ca("cluster-ca");
    private readonly X509Certificate2 _otherCa = TestCertificates.Ca("intruder-ca");
    private readonly string _dir = Directory.CreateTempSubdirectory("peer-policy-").FullName;

    public void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        _ca.Dispose();
        _otherCa.Dispose();
    }

    private TlsCertificatePolicy Policy(string? allowedCn = null, string? allowedHostname = null, CertificateRevocations? revocations = null,
        bool requireClientCertificate = true, bool skipServerVerification = false, bool verifyClientAddress = true) =>
        new([_ca], requireClientCertificate, skipServerVerification, allowedCn, allowedHostname, () => revocations ?? CertificateRevocations.None, verifyClientAddress);

    [Theory]
    [InlineData(TlsConnectionRole.Inbound)]
    [InlineData(TlsConnectionRole.Outbound)]
    public void A_member_certificate_of_the_trusted_ca_is_accepted(TlsConnectionRole role)
    {
        using var member = TestCertificates.Leaf(_ca, "m1", 11, ["127.0.0.1"], ["localhost"]);

        Assert.Null(Policy().Refuse(member, [member], role, "127.0.0.1"));
    }

    [Fact]
    public void A_certificate_from_another_ca_is_refused_both_ways_with_gos_texts()
    {
        using var intruder = TestCertificates.Leaf(_otherCa, "m1", 12, ["127.0.0.1"]);

        Assert.Equal("tls: failed to verify client certificate: x509: certificate signed by unknown authority",
            Policy().Refuse(intruder, [intruder], TlsConnectionRole.Inbound, "127.0.0.1"));
        Assert.Equal("x509: certificate signed by unknown authority",
            Policy().Refuse(intruder, [intruder], TlsConnectionRole.Outbound, "127.0.0.1"));
    }

    [Fact]
    public void An_expired_certificate_is_refused()
    {
        using var expired = TestCertificates.Leaf(_ca, "m1", 13, ["127.0.0.1"], expired: true);

        Assert.Matches(@"^x509: certificate has expired or is not yet valid: current time \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ is after \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$",
            Policy().Refuse(expired, [expired], TlsConnectionRole.Outbound, "127.0.0.1"));
    }

    [Fact]
    public void A_server_certificate_must_name_the_dialed_host()
    {
        using var member = TestCertificates.Leaf(_ca, "m1", 14, ["127.0.0.1"]);

        Assert.Equal("x509: certificate is valid for 127.0.0.1, not 127.0.0.2",
            Policy().Refuse(member, [member], TlsConnectionRole.Outbound, "127.0.0.2"));
    }

    [Fact]
    public void A_client_certificate_must_name_the_address_it_connects_from_unless_that_check_is_skipped()
    {
        using var member = TestCertificates.Leaf(_ca, "m1", 15, ["10.9.9.9"]);

        Assert.NotNull(Policy().Refuse(member, [member], TlsConnectionRole.Inbound, "127.0.0.1"));
        Assert.Null(Policy(verifyClientAddress: false).Refuse(member, [member], TlsConnectionRole.Inbound, "127.0.0.1"));
        Assert.Null(Policy().Refuse(member, [member], TlsConnectionRole.Inbound, "::ffff:10.9.9.9"));
    }

    [Theory]
    [InlineData(TlsConnectionRole.Inbound)]
    [InlineData(TlsConnectionRole.Outbound)]
    public void Allowed_cn_refuses_other_names_of_the_trusted_ca_both_ways(TlsConnectionRole role)
    {
        using var member = TestCertificates.Leaf(_ca, "etcd-peer", 16, ["127.0.0.1"]);
        using var other = TestCertificates.Leaf(_ca, "someone-else", 17, ["127.0.0.1"]);

        Assert.Null(Policy(allowedCn: "etcd-peer").Refuse(member, [member], role, "127.0.0.1"));
        Assert.Equal("client certificate authentication failed", Policy(allowedCn: "etcd-peer").Refuse(other, [other], role, "127.0.0.1"));
    }

    [Fact]
    public void Allowed_hostname_needs_a_certificate_valid_for_that_name()
    {
        using var member = TestCertificates.Leaf(_ca, "m1", 18, ["127.0.0.1"], ["peer.example.internal"]);
        using var other = TestCertificates.Leaf(_ca, "m2", 19, ["127.0.0.1"], ["other.example.internal"]);

        Assert.Null(Policy(allowedHostname: "peer.example.internal").Refuse(member, [member], TlsConnectionRole.Inbound, "127.0.0.1"));
        Assert.Equal("client certificate authentication failed",
            Policy(allowedHostname: "peer.example.internal").Refuse(other, [other], TlsConnectionRole.Inbound, "127.0.0.1"));
    }

    [Fact]
    public void A_serial_in_the_crl_file_is_refused_and_others_are_not()
    {
        using var revoked = TestCertificates.Leaf(_ca, "m1", 0x2A, ["127.0.0.1"]);
        using var fine = TestCertificates.Leaf(_ca, "m2", 0x2B, ["127.0.0.1"]);
        var der = Path.Combine(_dir, "peers.crl");
        File.WriteAllBytes(der, TestCertificates.Crl(_ca, 0x2A, 0x99));
        var pem = Path.Combine(_dir, "peers.crl.pem");
        File.WriteAllText(pem, new string(System.Security.Cryptography.PemEncoding.Write("X509 CRL", File.ReadAllBytes(der))));

        foreach (var file in new[] { der, pem })
        {
            var revocations = CertificateRevocations.Load(file);
            Assert.Equal(2, revocations.Count);
            Assert.Equal("transport: certificate serial 2a revoked",
                Policy(revocations: revocations).Refuse(revoked, [revoked], TlsConnectionRole.Inbound, "127.0.0.1"));
            Assert.Null(Policy(revocations: revocations).Refuse(fine, [fine], TlsConnectionRole.Inbound, "127.0.0.1"));
        }
    }

    [Fact]
    public void A_file_that_is_not_a_crl_is_a_clear_error()
    {
        var path = Path.Combine(_dir, "not.crl");
        File.WriteAllText(path, "hello");

        var error = Assert.Throws<InvalidDataException>(() => CertificateRevocations.Load(path));
        Assert.Contains("not a certificate revocation list", error.Message);
    }

    [Fact]
    public void Without_client_certificate_auth_an_inbound_peer_needs_no_certificate()
    {
        using var intruder = TestCertificates.Leaf(_otherCa, "x", 20, ["127.0.0.1"]);
        var open = Policy(requireClientCertificate: false);

        Assert.Null(open.Refuse(null, [], TlsConnectionRole.Inbound, "127.0.0.1"));
        Assert.Null(open.Refuse(intruder, [intruder], TlsConnectionRole.Inbound, "127.0.0.1"));
        Assert.Equal("tls: client didn't provide a certificate", Policy().Refuse(null, [], TlsConnectionRole.Inbound, "127.0.0.1"));
    }

    [Fact]
    public void Auto_tls_dials_self_signed_peers_without_verifying_them()
    {
        var (certFile, keyFile) = TlsCertificateFiles.EnsureSelfSigned(Path.Combine(_dir, "fixtures", "peer"), ["127.0.0.1", "localhost"], TimeProvider.System);
        using var selfSigned = TlsCertificateFiles.LoadPem(certFile, keyFile);

        Assert.True(selfSigned.HasPrivateKey);
        Assert.Null(Policy(skipServerVerification: true).Refuse(selfSigned, [selfSigned], TlsConnectionRole.Outbound, "127.0.0.1"));
        Assert.Equal("x509: certificate signed by unknown authority", Policy().Refuse(selfSigned, [selfSigned], TlsConnectionRole.Outbound, "127.0.0.1"));
        // A restart reuses the files rather than minting a new identity.
        Assert.Equal((certFile, keyFile), TlsCertificateFiles.EnsureSelfSigned(Path.Combine(_dir, "fixtures", "peer"), ["127.0.0.1"], TimeProvider.System));
        Assert.Equal(selfSigned.Thumbprint, TlsCertificateFiles.LoadPem(certFile, keyFile).Thumbprint);
    }
}
