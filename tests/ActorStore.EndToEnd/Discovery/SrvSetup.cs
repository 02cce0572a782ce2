namespace ActorStore.EndToEnd.Discovery;

/// <summary>
/// How a <see cref="SrvBootstrapCluster"/> is published in DNS: its peers' scheme, which server records exist
/// (_etcd-server-ssl for https peers, _etcd-server for http ones), the --discovery-srv-name suffix, and whether one
/// member is left out of the records.
/// </summary>
public sealed record SrvSetup
{
    public string PeerScheme { get; init; } = "http";

    /// <summary>Publish the server records under the other scheme's name too (pointing at the same peers).</summary>
    public bool PublishBothServices { get; init; }

    /// <summary>--discovery-srv-name: the records are _etcd-server[-ssl]-NAME._tcp.</summary>
    public string ServiceName { get; init; } = "";

    /// <summary>A member whose record is missing (it must refuse to start).</summary>
    public string? Unpublished { get; init; }
}
