namespace ActorStore.Configuration;

/// <summary>etcd's v2 --proxy setting (accepted for compatibility; ActorStore has no v2 proxy).</summary>
public enum ProxyMode
{
    Off,
    Readonly,
    On,
}
