using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd.ClientTls;

/// <summary>
/// One ActorStore member and one real etcd 3.4.23 member with client mutual TLS on the same certificates: each serves
/// https:// with --cert-file/--key-file, requires client certificates from --trusted-ca-file (--client-cert-auth),
/// refuses the serials in --client-crl-file, and offers two TLS 1.2 cipher suites (--cipher-suites).
/// </summary>
public sealed class MutualTlsPair : IAsyncLifetime
{
    /// <summary>The TLS 1.2 suites the members offer; the server key is ECDSA P-256.</summary>
    public const string CipherSuites = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305";

    public ClientPki Pki { get; private set; } = null!;
    public ClientTlsNode ActorStore { get; private set; } = null!;
    public ClientTlsNode Etcd { get; private set; } = null!;

    public ClientTlsNode this[MemberKind kind] => kind == MemberKind.ActorStore ? ActorStore : Etcd;

    public async Task InitializeAsync()
    {
        Pki = await ClientPki.CreateAsync();
        string[] flags =
        [
            "--cert-file", Pki.Server.CertFile,
            "--key-file", Pki.Server.KeyFile,
            "--trusted-ca-file", Pki.Authority.CertFile,
            "--client-cert-auth",
            "--client-crl-file", Pki.Crl,
            "--cipher-suites", CipherSuites,
        ];
        try
        {
            (ActorStore, Etcd) = await PairFixture.StartBothAsync(kind => ClientTlsNode.StartAsync(kind, flags));
        }
        catch
        {
            Pki.Dispose();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        await ActorStore.DisposeAsync();
        await Etcd.DisposeAsync();
        Pki.Dispose();
    }
}
