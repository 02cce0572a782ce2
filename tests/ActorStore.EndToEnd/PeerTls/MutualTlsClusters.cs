namespace ActorStore.EndToEnd.PeerTls;

/// <summary>Clusters whose members require each other's CA-signed certificates (see <see cref="PeerPki.CreateMutualAsync"/>).</summary>
public sealed class MutualTlsClusters() : PeerTlsClusters(PeerPki.CreateMutualAsync);
