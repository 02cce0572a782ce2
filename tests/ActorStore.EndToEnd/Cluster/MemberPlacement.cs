namespace ActorStore.EndToEnd.Cluster;

/// <summary>
/// Where a member runs: the address its client and peer URLs name, its ports, and the command its server is started
/// through (none for a process on this host; `ip netns exec NS` for one inside a network namespace, which execs the
/// server, so signals sent to the started process reach the server itself).
/// </summary>
public sealed record MemberPlacement(string Host, int ClientPort, int PeerPort, IReadOnlyList<string> CommandPrefix)
{
    public static MemberPlacement Loopback(int clientPort, int peerPort) => new("127.0.0.1", clientPort, peerPort, []);
}
