using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ActorStore.Configuration;
using Microsoft.Extensions.Logging;
using Xunit;
using static ActorStore.Tests.Configuration.ConfigTestKit;

namespace ActorStore.Tests.Configuration;

/// <summary>The client TLS settings (--cert-file and friends, --cipher-suites): every way to give them, and etcd 3.4.23's checks, made at load time.</summary>
public sealed class ClientSecurityTests : IDisposable
{
    private const string HttpsUrl = "https://127.0.0.1:12379";

    private readonly TempDirectory _directory = new();
    private readonly string _cert;
    private readonly string _key;
    private readonly string _otherKey;
    private readonly string _ca;
    private readonly string _crl;

    public ClientSecurityTests()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=m1", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        _cert = _directory.Write("server.pem", certificate.ExportCertificatePem());
        _key = _directory.Write("server-key.pem", key.ExportPkcs8PrivateKeyPem());
        _otherKey = _directory.Write("other-key.pem", otherKey.ExportPkcs8PrivateKeyPem());
        _ca = _directory.Write("ca.pem", certificate.ExportCertificatePem());
        // Read at each handshake only: its content does not matter to the configuration.
        _crl = _directory.Write("client.crl", "-----BEGIN X509 CRL-----\n");
    }

    public void Dispose() => _directory.Dispose();

    private static string[] HttpsClient(params string[] more) =>
        ["--listen-client-urls", HttpsUrl, "--advertise-client-urls", HttpsUrl, .. more];

    [Fact]
    public void Flags_fill_every_client_setting_and_the_gateway_options()
    {
        var loaded = Loaded(Load(HttpsClient("--cert-file", _cert, "--key-file", _key, "--trusted-ca-file", _ca, "--client-cert-auth",
            "--client-crl-file", _crl, "--client-cert-allowed-hostname", "client.example",
            "--cipher-suites", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305")));

        var options = ClientTlsConfig.ToClientTlsOptions(loaded.Config);

        Assert.NotNull(options);
        Assert.Equal(_cert, options.CertFile);
        Assert.Equal(_key, options.KeyFile);
        Assert.Equal(_ca, options.TrustedCaFile);
        Assert.True(options.ClientCertAuth);
        Assert.Equal(_crl, options.CrlFile);
        Assert.Equal("client.example", options.AllowedHostname);
        Assert.False(options.AutoTls);
        Assert.Equal([TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256], options.CipherSuites);
        Assert.Empty(loaded.FlagsWithoutEffectYet);

        // The member checks the certificate proofs of Akka.NET clients with the same trust.
        var member = MemberProgram.ToMemberOptions(loaded.Config);
        Assert.True(member.ClientCertAuth);
        Assert.Equal(_ca, member.ClientTrustedCaFile);
        Assert.Equal(_crl, member.ClientCrlFile);
        Assert.Equal("client.example", member.ClientCertAllowedHostname);
    }

    [Fact]
    public void Http_client_urls_need_no_client_tls()
    {
        var loaded = Loaded(Load());

        Assert.Null(ClientTlsConfig.ToClientTlsOptions(loaded.Config));
        Assert.Equal(TransportSecurity.None, loaded.Config.ClientSecurity);
    }

    [Fact]
    public void Https_and_http_client_urls_side_by_side()
    {
        var url = $"{HttpsUrl},http://127.0.0.1:12381";
        var config = Loaded(Load("--listen-client-urls", url, "--advertise-client-urls", HttpsUrl, "--cert-file", _cert, "--key-file", _key)).Config;

        // Sorted, as etcd's URL lists are.
        Assert.Equal(["http://127.0.0.1:12381", "https://127.0.0.1:12379"], Urls(config.ListenClientUrls));
        Assert.NotNull(ClientTlsConfig.ToClientTlsOptions(config));
    }

    [Fact]
    public void Etcd_variables_set_them()
    {
        var config = Loaded(Load(Environment(
            ("ETCD_CERT_FILE", _cert), ("ETCD_KEY_FILE", _key), ("ETCD_TRUSTED_CA_FILE", _ca), ("ETCD_CLIENT_CERT_AUTH", "true"),
            ("ETCD_CLIENT_CRL_FILE", _crl), ("ETCD_CLIENT_CERT_ALLOWED_HOSTNAME", "client.example"), ("ETCD_AUTO_TLS", "true"),
            ("ETCD_CIPHER_SUITES", "TLS_AES_128_GCM_SHA256")), HttpsClient())).Config;

        Assert.Equal(new TransportSecurity { CertFile = _cert, KeyFile = _key, TrustedCaFile = _ca, ClientCertAuth = true, CrlFile = _crl, AllowedHostname = "client.example", AutoTls = true }, config.ClientSecurity);
        Assert.Equal(["TLS_AES_128_GCM_SHA256"], config.CipherSuites);
        // Given certificate files win over --auto-tls.
        Assert.False(ClientTlsConfig.ToClientTlsOptions(config)!.AutoTls);
    }

    [Fact]
    public void Etcd_yaml_sets_them_under_client_transport_security()
    {
        var path = _directory.Write("etcd.conf", $"""
            listen-client-urls: {HttpsUrl}
            advertise-client-urls: {HttpsUrl}
            client-transport-security:
              cert-file: {_cert}
              key-file: {_key}
              trusted-ca-file: {_ca}
              client-cert-auth: true
              auto-tls: false
            cipher-suites: [TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384]
            """);

        var config = Loaded(Load("--config-file", path)).Config;

        Assert.Equal(new TransportSecurity { CertFile = _cert, KeyFile = _key, TrustedCaFile = _ca, ClientCertAuth = true }, config.ClientSecurity);
        Assert.Equal(["TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"], config.CipherSuites);
    }

    [Fact]
    public void Etcd_yaml_auto_tls_is_enough_for_https_client_urls()
    {
        var path = _directory.Write("etcd.conf", $"""
            listen-client-urls: {HttpsUrl}
            advertise-client-urls: {HttpsUrl}
            client-transport-security:
              auto-tls: true
            """);

        var options = ClientTlsConfig.ToClientTlsOptions(Loaded(Load("--config-file", path)).Config);

        Assert.True(options!.AutoTls);
        Assert.False(options.HasCertificate);
    }

    [Fact]
    public void Hocon_sets_them_under_actorstore_security_client()
    {
        var path = _directory.Write("node.hocon", $$"""
            actorstore.security.client {
              cert-file = "{{_cert}}"
              key-file = "{{_key}}"
              trusted-ca-file = "{{_ca}}"
              client-cert-auth = on
              crl-file = "{{_crl}}"
              allowed-hostname = "client.example"
            }
            """);

        var config = Loaded(Load(HttpsClient("--config-file", path))).Config;

        Assert.Equal(new TransportSecurity { CertFile = _cert, KeyFile = _key, TrustedCaFile = _ca, ClientCertAuth = true, CrlFile = _crl, AllowedHostname = "client.example" }, config.ClientSecurity);
    }

    [Theory]
    [InlineData("https://127.0.0.1:12379")]
    [InlineData("https://localhost:12379")]
    public void Https_client_urls_without_a_certificate_refuse_to_start_as_in_etcd(string url)
    {
        var failed = Failed(Load("--listen-client-urls", url, "--advertise-client-urls", url, "--client-cert-auth", "--trusted-ca-file", _ca));

        Assert.Equal($"TLS key/cert (--cert-file, --key-file) must be provided for client url {url} with HTTPS scheme", failed.Message);
        Assert.Equal(1, failed.ExitCode);
    }

    [Fact]
    public void Auto_tls_is_enough_for_https_client_urls()
    {
        var options = ClientTlsConfig.ToClientTlsOptions(Config(HttpsClient("--auto-tls")));

        Assert.True(options!.AutoTls);
    }

    [Fact]
    public void Auto_tls_with_certificate_files_uses_the_files_and_says_so()
    {
        var loaded = Loaded(Load(HttpsClient("--auto-tls", "--cert-file", _cert, "--key-file", _key)));

        Assert.False(ClientTlsConfig.ToClientTlsOptions(loaded.Config)!.AutoTls);
        Assert.Contains(loaded.Notices, n => n.Level == LogLevel.Warning && n.Message == "ignoring client auto TLS since certs given");
    }

    [Fact]
    public void Http_client_urls_ignore_the_files_and_client_cert_auth_with_etcds_warnings()
    {
        var loaded = Loaded(Load("--cert-file", _cert, "--key-file", _key, "--client-cert-auth"));

        Assert.Null(ClientTlsConfig.ToClientTlsOptions(loaded.Config));
        Assert.Contains(loaded.Notices, n => n.Level == LogLevel.Warning && n.Message == "scheme is HTTP while key and cert files are present; ignoring key and cert files");
        Assert.Contains(loaded.Notices, n => n.Level == LogLevel.Warning && n.Message == "scheme is HTTP while --client-cert-auth is enabled; ignoring client cert auth for this URL");
    }

    [Fact]
    public void A_certificate_without_its_key_is_refused()
    {
        var failed = Failed(Load(HttpsClient("--cert-file", _cert)));

        Assert.Equal($"KeyFile and CertFile must both be present[key: , cert: {_cert}]", failed.Message);
    }

    [Fact]
    public void A_key_of_another_certificate_is_refused()
    {
        var failed = Failed(Load(HttpsClient("--cert-file", _cert, "--key-file", _otherKey)));

        Assert.Equal("tls: private key does not match public key", failed.Message);
    }

    [Theory]
    [InlineData("--cert-file")]
    [InlineData("--key-file")]
    [InlineData("--trusted-ca-file")]
    public void Missing_files_are_refused_with_gos_error(string flag)
    {
        var missing = Path.Combine(_directory.Path, "missing.pem");
        var args = new Dictionary<string, string> { ["--cert-file"] = _cert, ["--key-file"] = _key, [flag] = missing };

        var failed = Failed(Load(HttpsClient([.. args.SelectMany(pair => new[] { pair.Key, pair.Value })])));

        Assert.Equal($"open {missing}: no such file or directory", failed.Message);
    }

    [Fact]
    public void Unknown_cipher_suites_refuse_to_start_with_etcds_message()
    {
        // etcd checks the names before anything else about TLS, whatever the URLs.
        var failed = Failed(Load("--cipher-suites", "TLS_AES_128_GCM_SHA256,FOO"));

        Assert.Equal("unexpected TLS cipher suite \"FOO\"", failed.Message);
        Assert.Equal(1, failed.ExitCode);
    }

    [Fact]
    public void Every_cipher_suite_name_etcd_takes_is_taken()
    {
        string[] names =
        [
            "TLS_RSA_WITH_RC4_128_SHA", "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_256_CBC_SHA",
            "TLS_RSA_WITH_AES_128_CBC_SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
            "TLS_ECDHE_RSA_WITH_RC4_128_SHA", "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
            "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305",
        ];

        var config = Config("--cipher-suites", string.Join(',', names));

        Assert.Equal(names, config.CipherSuites);
    }

    [Fact]
    public void Cipher_suites_with_tls_peer_urls_are_refused_until_the_peer_transport_takes_them()
    {
        var failed = Failed(Load("--cipher-suites", "TLS_AES_128_GCM_SHA256", "--peer-auto-tls",
            "--listen-peer-urls", "https://127.0.0.1:12380", "--initial-advertise-peer-urls", "https://127.0.0.1:12380",
            "--initial-cluster", "default=https://127.0.0.1:12380"));

        Assert.StartsWith("--cipher-suites with the TLS peer URL https://127.0.0.1:12380: ActorStore applies cipher suites to client connections only", failed.Message);
    }

    [Fact]
    public void Https_metrics_urls_need_the_client_certificate_as_in_etcd()
    {
        var failed = Failed(Load("--listen-metrics-urls", "https://127.0.0.1:12382"));
        var loaded = Loaded(Load("--listen-metrics-urls", "https://127.0.0.1:12382", "--cert-file", _cert, "--key-file", _key));

        Assert.Equal("cannot listen on TLS for 127.0.0.1:12382: KeyFile and CertFile are not presented", failed.Message);
        Assert.Equal(["https://127.0.0.1:12382"], Urls(loaded.Config.ListenMetricsUrls));
    }

    [Fact]
    public void Unixs_client_urls_are_refused_before_anything_is_touched()
    {
        var failed = Failed(Load("--listen-client-urls", "unixs://member.sock:0", "--advertise-client-urls", HttpsUrl, "--auto-tls"));

        Assert.StartsWith("--listen-client-urls unixs://member.sock:0: client TLS over unix sockets (unixs://) is not supported by ActorStore yet", failed.Message);
    }

    [Fact]
    public void Http_and_https_on_the_same_address_are_refused_before_anything_is_touched()
    {
        var failed = Failed(Load("--listen-client-urls", "https://127.0.0.1:12379,http://127.0.0.1:12379", "--advertise-client-urls", HttpsUrl,
            "--cert-file", _cert, "--key-file", _key));

        Assert.Equal("--listen-client-urls http://127.0.0.1:12379,https://127.0.0.1:12379: http:// and https:// on the same address are not supported by ActorStore yet (etcd serves both on one socket); list them on different addresses or ports", failed.Message);
    }
}
