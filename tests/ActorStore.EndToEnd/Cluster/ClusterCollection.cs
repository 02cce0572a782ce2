using Xunit;

namespace ActorStore.EndToEnd.Cluster;

/// <summary>
/// Cluster tests run one at a time and after the parallel tests: three-member clusters on two cores must not
/// compete with each other, or elections and failover times measure the machine instead of the cluster.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "cluster";
}
