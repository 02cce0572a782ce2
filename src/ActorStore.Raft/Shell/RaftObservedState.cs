namespace ActorStore.Raft.Shell;

/// <summary>
/// What other parts of the member may read without asking the Raft actor: published after every Ready and whenever a
/// peer link goes up or down. <paramref name="BecameLeaderAt"/> is when this member last became leader (scheduler
/// time): etcd records it to tell a request lost with the previous, failed leader from an ordinary timeout.
/// <paramref name="PeerLinks"/> has the state of the link to every peer, which etcd uses to tell a request lost with a
/// connection.
/// </summary>
public sealed record RaftObservedState(
    ulong Term,
    ulong Leader,
    RaftRole Role,
    ulong LastIndex,
    ulong CommitIndex,
    DateTimeOffset BecameLeaderAt = default,
    IReadOnlyDictionary<ulong, PeerLink>? PeerLinks = null)
{
    public static readonly RaftObservedState Initial = new(0, 0, RaftRole.Follower, 0, 0);

    /// <summary>etcd's isConnectedSince: the link to <paramref name="peer"/> has worked throughout since <paramref name="since"/>.</summary>
    public bool IsConnectedSince(ulong peer, DateTimeOffset since) =>
        PeerLinks is not { } links || !links.TryGetValue(peer, out var link) || link.IsConnectedSince(since);

    /// <summary>etcd's isConnectedToQuorumSince: this member and the peers connected since <paramref name="since"/> make a majority.</summary>
    public bool IsConnectedToQuorumSince(DateTimeOffset since)
    {
        if (PeerLinks is not { } links)
        {
            return true;
        }
        var connected = 1 + links.Values.Count(link => link.IsConnectedSince(since));
        return connected >= (links.Count + 1) / 2 + 1;
    }
}
