using ActorStore.EndToEnd.Infrastructure;
using ActorStore.EndToEnd.PeerTls;
using Xunit;

namespace ActorStore.EndToEnd.ClientTls;

/// <summary>
/// --auto-tls with an https:// client URL and no certificate: the member makes a self-signed one under
/// data-dir/fixtures/client and serves with it; clients are not asked for certificates. Real etcd 3.4.23 and ActorStore.
/// </summary>
public sealed class ClientAutoTlsTests
{
    /// <summary>etcdctl over TLS without checking the member's certificate: nothing could, it signed it itself.</summary>
    private static readonly IReadOnlyList<string> SkipVerification = ["--insecure-transport=false", "--insecure-skip-tls-verify"];

    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task A_member_with_auto_tls_serves_https_with_its_own_self_signed_certificate(MemberKind kind)
    {
        await using var node = await ClientTlsNode.StartAsync(kind, ["--auto-tls"]);

        var put = CommandResult.AssertOk(await node.EtcdctlAsync(SkipVerification, "put", "autotls/a", "1"));
        var get = CommandResult.AssertOk(await node.EtcdctlAsync(SkipVerification, "get", "autotls/a", "--print-value-only"));
        Assert.Equal("OK\n", put.StdOut);
        Assert.Equal("1\n", get.StdOut);

        var certFile = Path.Combine(node.Node.DataDir, "fixtures", "client", "cert.pem");
        Assert.True(File.Exists(certFile), $"{certFile} missing\n{node.Tail()}");
        Assert.True(File.Exists(Path.Combine(node.Node.DataDir, "fixtures", "client", "key.pem")));
        var handshake = await TlsProbe.HandshakeAsync(node.SecurePort, caFile: null, client: null);
        Assert.Contains(File.ReadAllText(certFile).Trim(), handshake.StdOut.Replace("\r", ""));
    }
}
