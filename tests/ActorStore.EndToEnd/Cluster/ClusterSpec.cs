namespace ActorStore.EndToEnd.Cluster;

/// <summary>
/// How <see cref="ClusterNodes"/> starts a cluster: its size, the peer URL scheme, flags for every member and flags
/// for one member by name (its own certificate, say), and where members are placed (free 127.0.0.1 ports if none).
/// </summary>
public sealed record ClusterSpec
{
    public int Size { get; init; } = 3;

    /// <summary>"https" makes every peer URL (in --initial-cluster and in member add) an https:// one.</summary>
    public string PeerScheme { get; init; } = "http";

    public IReadOnlyList<string> ExtraArgs { get; init; } = [];

    /// <summary>Flags for the member of that name, after <see cref="ExtraArgs"/>; also asked for members added later.</summary>
    public Func<string, IReadOnlyList<string>> MemberArgs { get; init; } = _ => [];

    public Func<string, MemberPlacement>? Place { get; init; }
}
