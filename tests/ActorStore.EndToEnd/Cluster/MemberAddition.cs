namespace ActorStore.EndToEnd.Cluster;

/// <summary>
/// What `etcdctl member add` answered: the new member's id and the ETCD_INITIAL_CLUSTER it must start with, and the
/// member itself, configured with --initial-cluster-state existing but not started yet.
/// </summary>
public sealed record MemberAddition(ClusterMember Member, ulong Id, string InitialCluster)
{
    public string HexId => Id.ToString("x");
}
