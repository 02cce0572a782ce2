namespace ActorStore.Configuration;

/// <summary>etcd's --initial-cluster-state: bootstrap a new cluster, or join one that already runs.</summary>
public enum ClusterState
{
    New,
    Existing,
}
