namespace ActorStore.Server.Membership;

/// <summary>One member as the cluster records it; name and client URLs are empty until the member has published them.</summary>
public sealed record ClusterMember(
    ulong Id,
    string Name,
    IReadOnlyList<string> PeerUrls,
    IReadOnlyList<string> ClientUrls,
    bool IsLearner);
