using ActorStore.Configuration;
using Microsoft.Extensions.Logging;
using Xunit;
using static ActorStore.Tests.Configuration.ConfigTestKit;

namespace ActorStore.Tests.Configuration;

/// <summary>The --peer-* TLS settings: every way to give them, and etcd 3.4.23's checks, made at load time.</summary>
public sealed class PeerSecurityTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly string _cert;
    private readonly string _key;
    private readonly string _ca;
    private readonly string _crl;

    public PeerSecurityTests()
    {
        // The configuration loads the pair (a key that is not the certificate's is refused there, as etcd does).
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=m1", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        _cert = _directory.Write("peer.pem", certificate.ExportCertificatePem());
        _key = _directory.Write("peer-key.pem", key.ExportPkcs8PrivateKeyPem());
        _ca = _directory.Write("ca.pem", "-----BEGIN CERTIFICATE-----\n");
        _crl = _directory.Write("peer.crl", "-----BEGIN X509 CRL-----\n");
    }

    public void Dispose() => _directory.Dispose();

    private static string[] HttpsPeer(params string[] more) =>
    [
        "--name", "m1", "--listen-peer-urls", "https://127.0.0.1:12380", "--initial-advertise-peer-urls", "https://127.0.0.1:12380",
        "--initial-cluster", "m1=https://127.0.0.1:12380", .. more,
    ];

    [Fact]
    public void Flags_fill_every_peer_setting_and_the_member_options()
    {
        var loaded = Loaded(Load(HttpsPeer("--peer-cert-file", _cert, "--peer-key-file", _key, "--peer-trusted-ca-file", _ca,
            "--peer-client-cert-auth", "--peer-cert-allowed-cn", "member", "--peer-crl-file", _crl)));

        var options = MemberProgram.ToMemberOptions(loaded.Config).PeerSecurity;

        Assert.Equal(_cert, options.CertFile);
        Assert.Equal(_key, options.KeyFile);
        Assert.Equal(_ca, options.TrustedCaFile);
        Assert.True(options.ClientCertAuth);
        Assert.Equal("member", options.AllowedCn);
        Assert.Equal("", options.AllowedHostname);
        Assert.Equal(_crl, options.CrlFile);
        Assert.False(options.AutoTls);
        Assert.True(options.Https);
        Assert.True(options.HasCertificate);
        Assert.Empty(loaded.FlagsWithoutEffectYet);
    }

    [Fact]
    public void By_default_members_talk_plain_tcp()
    {
        Assert.Equal(ActorStore.Server.Peers.PeerSecurityOptions.None, MemberProgram.ToMemberOptions(Config()).PeerSecurity);
    }

    [Fact]
    public void Etcd_variables_set_them()
    {
        var config = Loaded(Load(Environment(("ETCD_PEER_CERT_FILE", _cert), ("ETCD_PEER_KEY_FILE", _key), ("ETCD_PEER_CERT_ALLOWED_HOSTNAME", "m1.example")), HttpsPeer())).Config;

        Assert.Equal(_cert, config.PeerSecurity.CertFile);
        Assert.Equal("m1.example", config.PeerSecurity.AllowedHostname);
    }

    [Fact]
    public void Actorstore_variables_set_them_under_the_flags()
    {
        var config = Loaded(Load(Environment(("ACTORSTORE_SECURITY_PEER_CERT_FILE", _cert), ("ACTORSTORE_SECURITY_PEER_KEY_FILE", "/elsewhere/k.pem"),
            ("ACTORSTORE_SECURITY_PEER_AUTO_TLS", "true")), HttpsPeer("--peer-key-file", _key))).Config;

        Assert.Equal(_cert, config.PeerSecurity.CertFile);
        Assert.Equal(_key, config.PeerSecurity.KeyFile);
        Assert.True(config.PeerSecurity.AutoTls);
    }

    [Fact]
    public void Hocon_sets_them_under_actorstore_security_peer()
    {
        var path = _directory.Write("node.hocon", $$"""
            actorstore.security.peer {
              cert-file = "{{_cert}}"
              key-file = "{{_key}}"
              trusted-ca-file = "{{_ca}}"
              client-cert-auth = on
              allowed-hostname = "m1.example"
              crl-file = "{{_crl}}"
            }
            """);

        var config = Loaded(Load(HttpsPeer("--config-file", path))).Config;

        Assert.Equal(new TransportSecurity { CertFile = _cert, KeyFile = _key, TrustedCaFile = _ca, ClientCertAuth = true, AllowedHostname = "m1.example", CrlFile = _crl }, config.PeerSecurity);
    }

    [Fact]
    public void Etcd_yaml_sets_them_under_peer_transport_security()
    {
        var path = _directory.Write("etcd.conf", $"""
            name: m1
            listen-peer-urls: https://127.0.0.1:12380
            initial-advertise-peer-urls: https://127.0.0.1:12380
            initial-cluster: m1=https://127.0.0.1:12380
            peer-transport-security:
              cert-file: {_cert}
              key-file: {_key}
              trusted-ca-file: {_ca}
              client-cert-auth: true
              allowed-cn: member
              crl-file: {_crl}
            """);

        var config = Loaded(Load("--config-file", path)).Config;

        Assert.Equal(new TransportSecurity { CertFile = _cert, KeyFile = _key, TrustedCaFile = _ca, ClientCertAuth = true, AllowedCn = "member", CrlFile = _crl }, config.PeerSecurity);
    }

    [Theory]
    [InlineData("https://127.0.0.1:12380", "cannot listen on TLS for 127.0.0.1:12380: KeyFile and CertFile are not presented")]
    [InlineData("https://localhost:12380", "cannot listen on TLS for 127.0.0.1:12380: KeyFile and CertFile are not presented")]
    public void Https_listen_urls_without_a_certificate_refuse_to_start_as_in_etcd(string url, string message)
    {
        var failed = Failed(Load("--listen-peer-urls", url, "--initial-advertise-peer-urls", url, "--initial-cluster", $"default={url}"));

        Assert.Equal(message, failed.Message);
        Assert.Equal(1, failed.ExitCode);
    }

    [Fact]
    public void Https_advertise_urls_without_a_certificate_refuse_to_start()
    {
        var failed = Failed(Load("--listen-peer-urls", "http://127.0.0.1:12380", "--initial-advertise-peer-urls", "https://127.0.0.1:12380",
            "--initial-cluster", "default=https://127.0.0.1:12380"));

        Assert.Equal("--initial-advertise-peer-urls has https://127.0.0.1:12380, but there is no peer certificate: set --peer-cert-file and --peer-key-file, or --peer-auto-tls", failed.Message);
    }

    [Fact]
    public void Auto_tls_is_enough_for_https_peer_urls()
    {
        var options = MemberProgram.ToMemberOptions(Loaded(Load(HttpsPeer("--peer-auto-tls"))).Config).PeerSecurity;

        Assert.True(options.AutoTls);
        Assert.True(options.Https);
        Assert.False(options.HasCertificate);
    }

    [Fact]
    public void Skipping_the_client_address_check_reaches_the_member()
    {
        Assert.False(MemberProgram.ToMemberOptions(Loaded(Load(HttpsPeer("--peer-auto-tls"))).Config).PeerSecurity.SkipClientSanVerification);
        var options = MemberProgram.ToMemberOptions(
            Loaded(Load(HttpsPeer("--peer-auto-tls", "--experimental-peer-skip-client-san-verification"))).Config).PeerSecurity;

        Assert.True(options.SkipClientSanVerification);
    }

    [Fact]
    public void Given_certificates_win_over_auto_tls_with_etcds_warning()
    {
        var loaded = Loaded(Load(HttpsPeer("--peer-auto-tls", "--peer-cert-file", _cert, "--peer-key-file", _key)));

        Assert.False(MemberProgram.ToMemberOptions(loaded.Config).PeerSecurity.AutoTls);
        Assert.Contains(loaded.Notices, n => n.Level == LogLevel.Warning && n.Message == "ignoring peer auto TLS since certs given");
    }

    [Fact]
    public void Http_peer_urls_with_certificates_start_with_etcds_warnings()
    {
        var loaded = Loaded(Load("--peer-cert-file", _cert, "--peer-key-file", _key, "--peer-client-cert-auth"));

        Assert.False(MemberProgram.ToMemberOptions(loaded.Config).PeerSecurity.Https);
        Assert.Contains(loaded.Notices, n => n.Level == LogLevel.Warning && n.Message == "scheme is HTTP while key and cert files are present; ignoring key and cert files");
        Assert.Contains(loaded.Notices, n => n.Level == LogLevel.Warning && n.Message == "scheme is HTTP while --peer-client-cert-auth is enabled; ignoring client cert auth for this URL");
    }

    [Fact]
    public void A_certificate_without_its_key_is_refused_as_in_etcd_even_on_http()
    {
        var failed = Failed(Load("--peer-cert-file", _cert));

        Assert.Equal($"KeyFile and CertFile must both be present[key: , cert: {_cert}]", failed.Message);
    }

    [Theory]
    [InlineData("--peer-cert-file")]
    [InlineData("--peer-key-file")]
    [InlineData("--peer-trusted-ca-file")]
    [InlineData("--peer-crl-file")]
    public void Files_that_do_not_exist_are_reported_as_in_etcd(string flag)
    {
        var missing = Path.Combine(_directory.Path, "missing.pem");
        var args = new Dictionary<string, string> { ["--peer-cert-file"] = _cert, ["--peer-key-file"] = _key, [flag] = missing };

        var failed = Failed(Load(HttpsPeer([.. args.SelectMany(static a => new[] { a.Key, a.Value })])));

        Assert.Equal($"open {missing}: no such file or directory", failed.Message);
    }

    [Fact]
    public void Allowed_cn_and_allowed_hostname_together_are_refused_as_in_etcd()
    {
        var failed = Failed(Load(HttpsPeer("--peer-cert-file", _cert, "--peer-key-file", _key, "--peer-cert-allowed-cn", "x", "--peer-cert-allowed-hostname", "y")));

        Assert.Equal("AllowedCN and AllowedHostname are mutually exclusive (cn=\"x\", hostname=\"y\")", failed.Message);
    }

    [Fact]
    public void Without_certificate_files_etcd_reads_no_other_peer_setting()
    {
        var loaded = Loaded(Load("--peer-cert-allowed-cn", "x", "--peer-cert-allowed-hostname", "y", "--peer-trusted-ca-file", "/nonexistent/ca.pem"));

        Assert.Equal("x", loaded.Config.PeerSecurity.AllowedCn);
    }
}
