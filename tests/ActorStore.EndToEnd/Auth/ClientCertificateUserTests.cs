using ActorStore.EndToEnd.ClientTls;
using Xunit;

namespace ActorStore.EndToEnd.Auth;

/// <summary>
/// etcd's rule with --client-cert-auth and auth enabled: a call without a token acts as the user named by its client
/// certificate's common name; a token, when given, wins. Differential against etcd 3.4.23 over mutual TLS.
/// </summary>
public sealed class ClientCertificateUserTests : IClassFixture<MutualTlsPair>
{
    private readonly MutualTlsPair _pair;

    public ClientCertificateUserTests(MutualTlsPair pair)
    {
        _pair = pair;
    }

    /// <summary>etcdctl with the certificate whose common name is "client".</summary>
    private Task Same(params string[] args) => ClientTlsOutput.SameAsync(_pair, _pair.Pki.EtcdctlArgs(_pair.Pki.Client), args);

    [Fact]
    public async Task A_call_without_token_acts_as_its_certificates_common_name()
    {
        await Same("role", "add", "root");
        await Same("user", "add", "root:rootpw", "--interactive=false");
        await Same("user", "grant-role", "root", "root");
        await Same("role", "add", "cn-role");
        await Same("role", "grant-permission", "cn-role", "readwrite", "cn/", "--prefix=true");
        await Same("auth", "enable");

        // No user named "client" yet: the certificate's name is not a user.
        await Same("put", "cn/a", "1");
        await Same("--user", "root:rootpw", "user", "add", "client", "--no-password");
        await Same("--user", "root:rootpw", "user", "grant-role", "client", "cn-role");
        await Same("put", "cn/a", "1");
        await Same("get", "cn/a");
        await Same("put", "elsewhere", "1");
        await Same("user", "list");
        await Same("--user", "root:rootpw", "put", "elsewhere", "2");
        await Same("--user", "root:rootpw", "auth", "disable");
    }
}
