using ActorStore.EndToEnd.PeerTls;

namespace ActorStore.EndToEnd.ClientTls;

/// <summary>
/// The certificates of the client TLS tests, made with openssl as the peer TLS tests make theirs: a CA, the member's
/// server certificate (127.0.0.1, localhost), a good client certificate, and the ones a member must refuse: one from
/// another CA, one that expired, one the CA's CRL revokes.
/// </summary>
public sealed class ClientPki : IDisposable
{
    private ClientPki(TestPki files)
    {
        Files = files;
    }

    public TestPki Files { get; }
    public CertificateAuthority Authority { get; private init; } = null!;
    public IssuedCertificate Server { get; private init; } = null!;
    public IssuedCertificate Client { get; private init; } = null!;
    public IssuedCertificate Stranger { get; private init; } = null!;
    public IssuedCertificate Expired { get; private init; } = null!;
    public IssuedCertificate Revoked { get; private init; } = null!;
    public string Crl { get; private init; } = "";

    public static async Task<ClientPki> CreateAsync()
    {
        var files = new TestPki();
        try
        {
            var authority = await files.CreateAuthorityAsync("actorstore-client-ca");
            var revoked = await files.IssueAsync(authority, "revoked", "revoked", "revoked");
            var other = await files.CreateAuthorityAsync("unrelated-ca");
            return new ClientPki(files)
            {
                Authority = authority,
                Server = await files.IssueAsync(authority, "server", "server", "localhost"),
                Client = await files.IssueAsync(authority, "client", "client"),
                Stranger = await files.IssueAsync(other, "stranger", "stranger"),
                Expired = await files.IssueExpiredAsync(authority, "expired", "expired"),
                Revoked = revoked,
                Crl = await files.RevokeAsync(authority, revoked),
            };
        }
        catch
        {
            files.Dispose();
            throw;
        }
    }

    /// <summary>etcdctl's flags for a client holding <paramref name="certificate"/> (none: only the CA to check the member).</summary>
    public IReadOnlyList<string> EtcdctlArgs(IssuedCertificate? certificate) => certificate is null
        ? ["--cacert", Authority.CertFile]
        : ["--cacert", Authority.CertFile, "--cert", certificate.CertFile, "--key", certificate.KeyFile];

    public void Dispose() => Files.Dispose();
}
