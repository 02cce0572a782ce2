namespace ActorStore.Configuration;

/// <summary>etcd's --discovery-fallback: what to do when the discovery service fails.</summary>
public enum DiscoveryFallback
{
    Proxy,
    Exit,
}
