using ActorStore.EndToEnd.Infrastructure;
using ActorStore.EndToEnd.PeerTls;
using Xunit;

namespace ActorStore.EndToEnd.ClientTls;

/// <summary>
/// --client-cert-allowed-hostname: of the clients the trusted CA signed, only those whose certificate is valid for
/// the host name get in; the others are refused as etcd refuses them. Real etcd 3.4.23 and ActorStore.
/// </summary>
public sealed class ClientAllowedHostnameTests
{
    private const string AllowedHostname = "clients.actorstore.test";

    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task Only_clients_valid_for_the_allowed_hostname_get_in(MemberKind kind)
    {
        using var pki = await ClientPki.CreateAsync();
        var allowed = await pki.Files.IssueAsync(pki.Authority, "allowed-client", "allowed-client", AllowedHostname);
        await using var node = await ClientTlsNode.StartAsync(kind,
        [
            "--cert-file", pki.Server.CertFile, "--key-file", pki.Server.KeyFile, "--trusted-ca-file", pki.Authority.CertFile,
            "--client-cert-auth", "--client-cert-allowed-hostname", AllowedHostname,
        ]);

        CommandResult.AssertOk(await node.EtcdctlAsync(pki.EtcdctlArgs(allowed), "put", "allowed/a", "1"));

        var before = node.RejectionCount;
        var refused = await node.EtcdctlAsync(pki.EtcdctlArgs(pki.Client), "--dial-timeout=2s", "--command-timeout=3s", "get", "allowed/a");
        Assert.NotEqual(0, refused.ExitCode);
        var rejected = await node.RejectionAsync(before, "a client certificate not valid for " + AllowedHostname);
        Assert.Equal(PeerTlsErrors.NotAllowed, rejected.Error);
        CommandResult.AssertOk(await node.EtcdctlAsync(pki.EtcdctlArgs(allowed), "get", "allowed/a"));
    }
}
