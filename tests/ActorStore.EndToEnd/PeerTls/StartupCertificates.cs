using Xunit;

namespace ActorStore.EndToEnd.PeerTls;

/// <summary>A CA and two member certificates for the start-up tests, made once per class.</summary>
public sealed class StartupCertificates : IAsyncLifetime
{
    private readonly TestPki _pki = new();

    public CertificateAuthority Authority { get; private set; } = null!;
    public IssuedCertificate M1 { get; private set; } = null!;
    public IssuedCertificate M2 { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Authority = await _pki.CreateAuthorityAsync("actorstore-test-ca");
        M1 = await _pki.IssueAsync(Authority, "m1", "m1", "m1");
        M2 = await _pki.IssueAsync(Authority, "m2", "m2", "m2");
    }

    public Task DisposeAsync()
    {
        _pki.Dispose();
        return Task.CompletedTask;
    }
}
