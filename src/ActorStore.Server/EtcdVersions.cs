namespace ActorStore.Server;

/// <summary>
/// The etcd versions ActorStore answers as. Clients gate features on the cluster version, so ActorStore reports
/// the etcd release whose API it implements.
/// </summary>
public static class EtcdVersions
{
    public const string Server = "3.4.23";
    public const string Cluster = "3.4.0";
}
