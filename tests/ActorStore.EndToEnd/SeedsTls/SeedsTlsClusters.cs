using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd.SeedsTls;

/// <summary>
/// One certificate directory made by `actorstore certs`, serving a real etcd 3.4.23 cluster and an ActorStore cluster
/// started side by side; shared by a test class. The clusters go first, then the certificates.
/// </summary>
public sealed class SeedsTlsClusters : IAsyncLifetime
{
    private SeedsPki? _pki;
    private readonly List<SeedsTlsCluster> _started = [];

    public SeedsTlsCluster Etcd { get; private set; } = null!;
    public SeedsTlsCluster ActorStore { get; private set; } = null!;

    public IEnumerable<SeedsTlsCluster> Both => [Etcd, ActorStore];

    public async Task InitializeAsync()
    {
        _pki = await SeedsPki.CreateAsync(SeedsTlsCluster.MemberNames);
        try
        {
            // One after the other: two three-member clusters starting at once on two loaded cores time out elections.
            Etcd = await StartAsync(MemberKind.Etcd, _pki);
            ActorStore = await StartAsync(MemberKind.ActorStore, _pki);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var cluster in _started)
        {
            await cluster.DisposeAsync();
        }
        _started.Clear();
        _pki?.Dispose();
        _pki = null;
    }

    private async Task<SeedsTlsCluster> StartAsync(MemberKind kind, SeedsPki pki)
    {
        var cluster = await SeedsTlsCluster.StartAsync(kind, pki);
        _started.Add(cluster);
        return cluster;
    }
}
