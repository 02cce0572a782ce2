using ActorStore.EndToEnd.Infrastructure;
using ActorStore.EndToEnd.PeerTls;
using Xunit;

namespace ActorStore.EndToEnd.ClientTls;

/// <summary>
/// A member with an https:// client URL but no certificate (and no --auto-tls), or with a cipher suite Go does not
/// know, must not start: it exits with 1 and etcd's message before it creates its data dir. Real etcd 3.4.23 and ActorStore.
/// </summary>
public sealed class ClientTlsStartupTests
{
    [Theory]
    [InlineData(MemberKind.Etcd, "no certificate")]
    [InlineData(MemberKind.ActorStore, "no certificate")]
    [InlineData(MemberKind.Etcd, "unknown cipher suite")]
    [InlineData(MemberKind.ActorStore, "unknown cipher suite")]
    public async Task A_member_with_unusable_client_tls_settings_refuses_to_start(MemberKind kind, string setup)
    {
        using var dir = new TempDir();
        var clientUrl = $"https://127.0.0.1:{FreePorts.Next()}";
        var peerUrl = $"http://127.0.0.1:{FreePorts.Next()}";
        var (flags, message) = setup switch
        {
            "no certificate" => (
                (string[])["--client-cert-auth"],
                $"TLS key/cert (--cert-file, --key-file) must be provided for client url {clientUrl} with HTTPS scheme"),
            "unknown cipher suite" => (
                ["--auto-tls", "--cipher-suites", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_NOT_A_SUITE"],
                "unexpected TLS cipher suite \"TLS_NOT_A_SUITE\""),
            _ => throw new ArgumentOutOfRangeException(nameof(setup)),
        };
        var dataDir = Path.Combine(dir.Path, "n1.etcd");
        string[] args =
        [
            "--name", "n1", "--data-dir", dataDir, "--logger=zap",
            "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
            "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl, "--initial-cluster", "n1=" + peerUrl,
            .. flags,
        ];
        await using var process = kind == MemberKind.ActorStore
            ? ServerProcess.Start("dotnet", [RepoPaths.ActorStoreDll, .. args])
            : ServerProcess.Start("etcd", args);

        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(exitCode == 1, $"exit code {exitCode}\n{process.Output}");
        Assert.Contains(message, PeerTlsStartupTests.Decoded(process.Output));
        Assert.False(Directory.Exists(dataDir), "the data dir was created");
    }
}
