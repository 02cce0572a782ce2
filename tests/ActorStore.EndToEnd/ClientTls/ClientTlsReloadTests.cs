using ActorStore.EndToEnd.Infrastructure;
using ActorStore.EndToEnd.PeerTls;
using Xunit;

namespace ActorStore.EndToEnd.ClientTls;

/// <summary>
/// Certificates renewed or revoked while a member runs: the next connection uses the files as they are on disk now,
/// with no restart. etcd reads them at every handshake; ActorStore reads them again once they changed.
/// </summary>
public sealed class ClientTlsReloadTests
{
    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task A_certificate_and_a_crl_replaced_on_disk_are_used_by_the_next_connection(MemberKind kind)
    {
        using var pki = await ClientPki.CreateAsync();
        var liveCert = Path.Combine(pki.Files.Dir, "live-server.crt");
        var liveKey = Path.Combine(pki.Files.Dir, "live-server.key");
        var liveCrl = Path.Combine(pki.Files.Dir, "live.crl");
        Replace(liveKey, pki.Server.KeyFile);
        Replace(liveCert, pki.Server.CertFile);
        Replace(liveCrl, pki.Crl);
        var client2 = await pki.Files.IssueAsync(pki.Authority, "client2", "client2");
        await using var node = await ClientTlsNode.StartAsync(kind,
        [
            "--cert-file", liveCert, "--key-file", liveKey, "--trusted-ca-file", pki.Authority.CertFile,
            "--client-cert-auth", "--client-crl-file", liveCrl,
        ]);

        Assert.Contains("subject=CN = server\n", (await TlsProbe.HandshakeAsync(node.SecurePort, pki.Authority.CertFile, pki.Client)).StdOut);
        CommandResult.AssertOk(await node.EtcdctlAsync(pki.EtcdctlArgs(client2), "put", "reload/before", "1"));

        var renewed = await pki.Files.IssueAsync(pki.Authority, "server-renewed", "server-renewed", "localhost");
        Replace(liveKey, renewed.KeyFile);
        Replace(liveCert, renewed.CertFile);

        var handshake = await TlsProbe.HandshakeAsync(node.SecurePort, pki.Authority.CertFile, pki.Client);
        Assert.True(handshake.ExitCode == 0, handshake + node.Tail());
        Assert.Contains("subject=CN = server-renewed\n", handshake.StdOut);
        CommandResult.AssertOk(await node.EtcdctlAsync(pki.EtcdctlArgs(pki.Client), "put", "reload/after-renewal", "2"));

        // The CA now revokes client2 as well; the CRL file the member was given is replaced with the new list.
        var before = node.RejectionCount;
        Replace(liveCrl, await pki.Files.RevokeAsync(pki.Authority, pki.Revoked, client2));

        var refused = await node.EtcdctlAsync(pki.EtcdctlArgs(client2), "--dial-timeout=2s", "--command-timeout=3s", "get", "reload/before");
        Assert.NotEqual(0, refused.ExitCode);
        var rejected = await node.RejectionAsync(before, "client2 after its revocation");
        Assert.Equal(PeerTlsErrors.Revoked(client2), rejected.Error);
        CommandResult.AssertOk(await node.EtcdctlAsync(pki.EtcdctlArgs(pki.Client), "put", "reload/after-revocation", "3"));
    }

    /// <summary>Overwrites <paramref name="path"/> with the bytes of <paramref name="source"/>, as a renewal script would.</summary>
    private static void Replace(string path, string source) => File.WriteAllBytes(path, File.ReadAllBytes(source));
}
