namespace ActorStore.EndToEnd.PeerTls;

/// <summary>Clusters whose members accept only peers valid for <see cref="PeerPki.AllowedHostname"/> (see <see cref="PeerPki.CreateAllowedHostnameAsync"/>).</summary>
public sealed class AllowedHostnameClusters() : PeerTlsClusters(PeerPki.CreateAllowedHostnameAsync);
