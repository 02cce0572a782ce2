using ActorStore.EndToEnd.Cluster;
using ActorStore.EndToEnd.Infrastructure;

namespace ActorStore.EndToEnd.PeerTls;

/// <summary>
/// One TLS cluster per kind, shared by a test class, on certificates made once for the class; the certificates go
/// when the clusters have gone.
/// </summary>
public abstract class PeerTlsClusters : SharedClusters
{
    private readonly Lazy<Task<PeerPki>> _pki;

    protected PeerTlsClusters(Func<Task<PeerPki>> createPki)
    {
        _pki = new Lazy<Task<PeerPki>>(createPki);
    }

    public Task<PeerPki> PkiAsync() => _pki.Value;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_pki.IsValueCreated && _pki.Value.IsCompletedSuccessfully)
        {
            _pki.Value.Result.Dispose();
        }
    }

    protected override async Task<ClusterNodes> StartAsync(MemberKind kind) =>
        await ClusterNodes.StartAsync(kind, (await PkiAsync()).Spec);
}
