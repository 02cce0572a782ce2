using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd.Cluster;

/// <summary>
/// One three-member cluster per kind, started on first use and shared by the tests of a class that do not break it.
/// A cluster that failed to start fails every test that asks for it, at once. A subclass starts its clusters its own way.
/// </summary>
public class SharedClusters : IAsyncLifetime
{
    private readonly Dictionary<MemberKind, Task<ClusterNodes>> _clusters = [];

    public Task<ClusterNodes> GetAsync(MemberKind kind)
    {
        lock (_clusters)
        {
            if (!_clusters.TryGetValue(kind, out var cluster))
            {
                cluster = StartAsync(kind);
                _clusters[kind] = cluster;
            }
            return cluster;
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var cluster in _clusters.Values)
        {
            try
            {
                await (await cluster).DisposeAsync();
            }
            catch (InvalidOperationException)
            {
                // It never started; StartAsync cleaned up after itself.
            }
        }
    }

    /// <summary>Starts the cluster of one kind; called once per kind.</summary>
    protected virtual Task<ClusterNodes> StartAsync(MemberKind kind) => ClusterNodes.StartAsync(kind);
}
