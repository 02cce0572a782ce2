namespace ActorStore.Raft.Shell;

/// <summary>
/// What this member knows of its link to one peer: whether it is down now, and when it last failed (default when it
/// never did). A link not used yet counts as working: the transport opens links on first use, unlike etcd's, which
/// dials every peer at start.
/// </summary>
public readonly record struct PeerLink(bool IsDown, DateTimeOffset LastFailureAt)
{
    /// <summary>etcd's isConnectedSince, for a transport that opens links lazily: up now, and no failure since <paramref name="since"/>.</summary>
    public bool IsConnectedSince(DateTimeOffset since) => !IsDown && LastFailureAt < since;
}
