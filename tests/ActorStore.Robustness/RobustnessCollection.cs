using Xunit;

namespace ActorStore.Robustness;

/// <summary>
/// Robustness runs go one at a time: each has a three-member cluster, a busy workload and a fault on two cores, and
/// two at once would measure the machine rather than the cluster.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RobustnessCollection
{
    public const string Name = "robustness";
}
