using ActorStore.EndToEnd.Cluster;
using ActorStore.EndToEnd.Infrastructure;
using ActorStore.EndToEnd.PeerTls;
using Xunit;
using Xunit.Abstractions;

namespace ActorStore.EndToEnd.ClientTls;

/// <summary>
/// Client mutual TLS against real etcd 3.4.23 and ActorStore with the same flags and certificates: etcdctl with a
/// certificate from the trusted CA works over https:// and answers as etcd does; clients without one, with one from
/// another CA, with an expired or a revoked one are refused in the handshake, logged with etcd's "rejected connection"
/// line, and the member goes on serving good clients.
/// </summary>
public sealed class ClientMutualTlsTests : IClassFixture<MutualTlsPair>
{
    private readonly MutualTlsPair _pair;
    private readonly ITestOutputHelper _output;

    public ClientMutualTlsTests(MutualTlsPair pair, ITestOutputHelper output)
    {
        _pair = pair;
        _output = output;
    }

    private IReadOnlyList<string> Good => _pair.Pki.EtcdctlArgs(_pair.Pki.Client);

    [Fact]
    public async Task Etcdctl_with_a_trusted_client_certificate_answers_as_etcd_does()
    {
        await ClientTlsOutput.SameAsync(_pair, Good, "put", "ctls-diff/a", "1");
        await ClientTlsOutput.SameAsync(_pair, Good, "put", "ctls-diff/b", "2");
        await ClientTlsOutput.SameAsync(_pair, Good, "get", "ctls-diff/", "--prefix");
        await ClientTlsOutput.SameAsync(_pair, Good, "get", "ctls-diff/a", "--print-value-only");
        await ClientTlsOutput.SameAsync(_pair, Good, "del", "ctls-diff/b");
        var health = await ClientTlsOutput.SameAsync(_pair, Good, "endpoint", "health");
        Assert.Contains("is healthy: successfully committed proposal", health.StdOut + health.StdErr);
    }

    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task Curl_gets_health_over_https_with_http1_and_h2(MemberKind kind)
    {
        var node = _pair[kind];
        foreach (var version in new[] { "--http1.1", "--http2" })
        {
            var curl = await ProcessRunner.RunAsync("curl",
            [
                "-sS", version, "-w", "\n%{http_version}", "--cacert", _pair.Pki.Authority.CertFile,
                "--cert", _pair.Pki.Client.CertFile, "--key", _pair.Pki.Client.KeyFile, node.SecureUrl + "/health",
            ]);
            Assert.True(curl.ExitCode == 0, curl.ToString());
            Assert.Equal(["{\"health\":\"true\"}", version == "--http1.1" ? "1.1" : "2"], curl.StdOut.Split('\n'));
        }
    }

    [Theory]
    [InlineData("no client certificate")]
    [InlineData("a certificate from another CA")]
    [InlineData("an expired certificate")]
    [InlineData("a revoked certificate")]
    public async Task A_refused_client_is_turned_away_in_the_handshake_logged_and_good_clients_go_on(string client)
    {
        var pki = _pair.Pki;
        var (certificate, expectedError, dnsNames) = client switch
        {
            "no client certificate" => ((IssuedCertificate?)null, PeerTlsErrors.NoClientCertificate, (string[])[]),
            "a certificate from another CA" => (pki.Stranger, PeerTlsErrors.UnknownAuthority, []),
            "an expired certificate" => (pki.Expired, "tls: failed to verify client certificate: x509: certificate has expired or is not yet valid: current time ", []),
            "a revoked certificate" => (pki.Revoked, PeerTlsErrors.Revoked(pki.Revoked), ["revoked"]),
            _ => throw new ArgumentOutOfRangeException(nameof(client)),
        };
        var before = new Dictionary<MemberKind, int> { [MemberKind.Etcd] = _pair.Etcd.RejectionCount, [MemberKind.ActorStore] = _pair.ActorStore.RejectionCount };

        var refused = await ClientTlsOutput.SameAsync(_pair, pki.EtcdctlArgs(certificate), "--dial-timeout=2s", "--command-timeout=3s", "get", "ctls/refused");
        Assert.NotEqual(0, refused.ExitCode);

        foreach (var kind in new[] { MemberKind.Etcd, MemberKind.ActorStore })
        {
            var node = _pair[kind];
            var rejected = await node.RejectionAsync(before[kind], client);
            _output.WriteLine($"{kind}: {rejected}");
            Assert.StartsWith(expectedError, rejected.Error);
            Assert.StartsWith("127.0.0.1:", rejected.RemoteAddr);
            Assert.Equal(dnsNames, rejected.DnsNames);
            Assert.Equal(0, CommandResult.AssertOk(await node.EtcdctlAsync(Good, "put", "ctls/after-refusal", client)).ExitCode);
        }
    }

    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task Plain_http_and_silent_connections_to_the_https_port_are_turned_away_and_logged(MemberKind kind)
    {
        var node = _pair[kind];
        var before = node.RejectionCount;
        var plain = await TlsProbe.PlainHttpAsync(node.SecurePort);
        Assert.False(plain.GotHttpAnswer, "a plain HTTP request got an HTTP answer from the https port");
        Assert.True(plain.ClosedByServer, "the https port kept a plain connection open");
        var notTls = await Eventually.GetAsync(
            () => Task.FromResult(RejectedConnection.In(node.Output).Skip(before).FirstOrDefault(r => r.RemoteAddr == plain.LocalAddress)),
            TimeSpan.FromSeconds(15), () => "the plain connection's rejection\n" + node.Tail());
        Assert.Equal(PeerTlsErrors.NotTls, notTls.Error);

        string silentFrom;
        using (var silent = new System.Net.Sockets.TcpClient())
        {
            await silent.ConnectAsync(System.Net.IPAddress.Loopback, node.SecurePort);
            silentFrom = $"127.0.0.1:{((System.Net.IPEndPoint)silent.Client.LocalEndPoint!).Port}";
        }
        var eof = await Eventually.GetAsync(
            () => Task.FromResult(RejectedConnection.In(node.Output).Skip(before).FirstOrDefault(r => r.RemoteAddr == silentFrom)),
            TimeSpan.FromSeconds(15), () => "the silent connection's rejection\n" + node.Tail());
        Assert.Equal("EOF", eof.Error);
        CommandResult.AssertOk(await node.EtcdctlAsync(Good, "put", "ctls/after-plain", "ok"));
    }

    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task Only_the_listed_tls12_cipher_suites_are_offered(MemberKind kind)
    {
        var node = _pair[kind];
        var listed = await Handshake(node, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256");
        var unlisted = await Handshake(node, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES256-GCM-SHA384");
        // Go offers every TLS 1.3 suite whatever --cipher-suites says.
        var tls13 = await Handshake(node, "-tls1_3");

        Assert.Contains("Cipher is ECDHE-ECDSA-AES128-GCM-SHA256", listed.StdOut);
        Assert.DoesNotContain("Cipher is ECDHE-ECDSA-AES256-GCM-SHA384", unlisted.StdOut);
        Assert.NotEqual(0, unlisted.ExitCode);
        Assert.Contains("New, TLSv1.3, Cipher is ", tls13.StdOut);
        Assert.Equal(0, CommandResult.AssertOk(await node.EtcdctlAsync(Good, "put", "ctls/after-ciphers", "ok")).ExitCode);
    }

    /// <summary>openssl s_client with the good client certificate and <paramref name="options"/>.</summary>
    private Task<CommandResult> Handshake(ClientTlsNode node, params string[] options) =>
        OpenSsl.RunAsync(
        [
            "s_client", "-connect", $"127.0.0.1:{node.SecurePort}", "-CAfile", _pair.Pki.Authority.CertFile,
            "-cert", _pair.Pki.Client.CertFile, "-key", _pair.Pki.Client.KeyFile, .. options,
        ], stdin: "", timeout: TimeSpan.FromSeconds(15));
}
