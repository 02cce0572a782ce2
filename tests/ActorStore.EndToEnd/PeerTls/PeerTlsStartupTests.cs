using System.Text.Json;
using ActorStore.EndToEnd.Cluster;
using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd.PeerTls;

/// <summary>
/// A member with an https:// peer URL but no usable certificate (and no --peer-auto-tls), or with peer TLS flags that
/// contradict each other, must not start: it exits with 1 and etcd's message before it creates its data dir. Real etcd
/// 3.4.23 and ActorStore.
/// </summary>
public sealed class PeerTlsStartupTests : IClassFixture<StartupCertificates>
{
    private readonly StartupCertificates _certificates;

    public PeerTlsStartupTests(StartupCertificates certificates)
    {
        _certificates = certificates;
    }

    [Theory]
    [InlineData(MemberKind.Etcd, "no certificate")]
    [InlineData(MemberKind.ActorStore, "no certificate")]
    [InlineData(MemberKind.Etcd, "client certificate auth but no certificate")]
    [InlineData(MemberKind.ActorStore, "client certificate auth but no certificate")]
    [InlineData(MemberKind.Etcd, "certificate without key")]
    [InlineData(MemberKind.ActorStore, "certificate without key")]
    [InlineData(MemberKind.Etcd, "key of another certificate")]
    [InlineData(MemberKind.ActorStore, "key of another certificate")]
    [InlineData(MemberKind.Etcd, "allowed CN and allowed hostname together")]
    [InlineData(MemberKind.ActorStore, "allowed CN and allowed hostname together")]
    public async Task A_member_with_unusable_peer_tls_settings_refuses_to_start(MemberKind kind, string setup)
    {
        using var dir = new TempDir();
        var placement = new LoopbackPlacements().Place("m1");
        var peer = $"{placement.Host}:{placement.PeerPort}";
        var (flags, message) = setup switch
        {
            "no certificate" => (
                (string[])["--logger=zap"],
                $"cannot listen on TLS for {peer}: KeyFile and CertFile are not presented"),
            "client certificate auth but no certificate" => (
                ["--logger=zap", "--peer-client-cert-auth", "--peer-trusted-ca-file", _certificates.Authority.CertFile],
                $"cannot listen on TLS for {peer}: KeyFile and CertFile are not presented"),
            "certificate without key" => (
                ["--logger=zap", "--peer-cert-file", _certificates.M1.CertFile],
                $"KeyFile and CertFile must both be present[key: , cert: {_certificates.M1.CertFile}]"),
            "key of another certificate" => (
                ["--logger=zap", "--peer-cert-file", _certificates.M1.CertFile, "--peer-key-file", _certificates.M2.KeyFile],
                "tls: private key does not match public key"),
            "allowed CN and allowed hostname together" => (
                ["--logger=zap", "--peer-cert-file", _certificates.M1.CertFile, "--peer-key-file", _certificates.M1.KeyFile,
                    "--peer-client-cert-auth", "--peer-trusted-ca-file", _certificates.Authority.CertFile,
                    "--peer-cert-allowed-cn", "m1", "--peer-cert-allowed-hostname", "m1"],
                "AllowedCN and AllowedHostname are mutually exclusive (cn=\"m1\", hostname=\"m1\")"),
            _ => throw new ArgumentOutOfRangeException(nameof(setup)),
        };
        var dataDir = Path.Combine(dir.Path, "m1.etcd");
        await using var member = new ClusterMember(
            kind, "m1", dataDir, placement, $"m1=https://{peer}", "actorstore-e2e-startup", "new", flags, "https");

        member.Launch();
        await ExitWithoutServingAsync(member);

        var exitCode = await member.Process.WaitForExitAsync(TimeSpan.FromSeconds(5));
        Assert.True(exitCode == 1, $"exit code {exitCode}\n{member.OutputTail()}");
        Assert.Contains(message, Decoded(member.Process.Output));
        Assert.False(Directory.Exists(dataDir), "the data dir was created");
    }

    /// <summary>The output with each JSON log line replaced by its "msg" and "error" texts, unescaped.</summary>
    internal static string Decoded(string output) =>
        string.Join('\n', output.Split('\n').Select(line =>
        {
            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                return string.Join(": ", new[] { "msg", "error" }
                    .Where(name => root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
                    .Select(name => root.GetProperty(name).GetString()));
            }
            catch (JsonException)
            {
                return line;
            }
        }));

    /// <summary>Waits for the process to exit; fails at once if it answers /health instead, as a member that ignored TLS would.</summary>
    private static async Task ExitWithoutServingAsync(ClusterMember member)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!member.Process.HasExited)
        {
            try
            {
                using var response = await http.GetAsync(member.ClientUrl + "/health");
                Assert.Fail($"{member.Name} started and answers /health with {(int)response.StatusCode} instead of refusing to start\n{member.OutputTail()}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            Assert.True(DateTime.UtcNow < deadline, $"{member.Name} neither exited nor served within 30 s\n{member.OutputTail()}");
            await Task.Delay(100);
        }
    }
}
