using ActorStore.EndToEnd.Cluster;
using Xunit;

namespace ActorStore.EndToEnd.Infrastructure;

/// <summary>
/// The three-member watch, lease and lock tests share one cluster per kind and run alone, after the parallel tests,
/// as the other cluster tests do. A test that kills a member restarts it before it ends.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WatchLeaseLockClusterCollection : ICollectionFixture<SharedClusters>
{
    public const string Name = "watch-lease-lock-cluster";
}
