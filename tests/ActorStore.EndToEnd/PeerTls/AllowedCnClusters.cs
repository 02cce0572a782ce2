namespace ActorStore.EndToEnd.PeerTls;

/// <summary>Clusters whose members accept only peers with CN <see cref="PeerPki.AllowedCn"/> (see <see cref="PeerPki.CreateAllowedCnAsync"/>).</summary>
public sealed class AllowedCnClusters() : PeerTlsClusters(PeerPki.CreateAllowedCnAsync);
