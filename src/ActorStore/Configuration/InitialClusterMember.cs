namespace ActorStore.Configuration;

/// <summary>One member named in --initial-cluster with its peer URLs (sorted, as etcd keeps them).</summary>
public sealed record InitialClusterMember(string Name, IReadOnlyList<Uri> PeerUrls);
