namespace ActorStore.Raft.Shell;

/// <summary>
/// What other parts of the member may read without asking the Raft actor: published after every Ready and whenever a
/// peer link goes up or down. <paramref name="BecameLeaderAt"/> is when this member last became leader (scheduler
/// time): etcd records it to tell a request lost with the previous, failed leader from an ordinary timeout.
/// <paramref name="PeersActiveSince"/> has every peer with the time its link came up (null while it is down), which
/// etcd uses to tell a request lost with a connection.
/// </summary>
public sealed record RaftObservedState(
    ulong Term,
    ulong Leader,
    RaftRole Role,
    ulong LastIndex,
    ulong CommitIndex,
    DateTimeOffset BecameLeaderAt = default,
    IReadOnlyDictionary<ulong, DateTimeOffset?>? PeersActiveSince = null)
{
    public static readonly RaftObservedState Initial = new(0, 0, RaftRole.Follower, 0, 0);

    /// <summary>etcd's isConnectedSince: the link to <paramref name="peer"/> has been up since before <paramref name="since"/>.</summary>
    public bool IsConnectedSince(ulong peer, DateTimeOffset since) =>
        PeersActiveSince is { } links && links.TryGetValue(peer, out var up) && up is { } at && at < since;

    /// <summary>etcd's isConnectedToQuorumSince: this member and enough peers connected since <paramref name="since"/> make a majority.</summary>
    public bool IsConnectedToQuorumSince(DateTimeOffset since)
    {
        var links = PeersActiveSince ?? new Dictionary<ulong, DateTimeOffset?>();
        var members = links.Count + 1;
        var connected = 1 + links.Count(link => link.Value is { } at && at < since);
        return connected >= members / 2 + 1;
    }
}
