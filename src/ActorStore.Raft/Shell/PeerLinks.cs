namespace ActorStore.Raft.Shell;

/// <summary>
/// The state of this member's link to each peer. Proposals are not sent over a link known to be down (the transport
/// would hold them until it reconnects and deliver them long after their requests gave up), and a request that timed
/// out can tell a lost connection from a slow cluster, as etcd's transport "active since" lets it.
/// </summary>
internal sealed class PeerLinks
{
    private readonly Dictionary<ulong, PeerLink> _links = new();
    private IReadOnlyDictionary<ulong, PeerLink>? _snapshot;

    /// <summary>Follows a new member list: peers that left are forgotten, new ones start as working links.</summary>
    public void Reset(IEnumerable<ulong> ids)
    {
        var keep = ids.ToHashSet();
        foreach (var gone in _links.Keys.Where(id => !keep.Contains(id)).ToArray())
        {
            _links.Remove(gone);
        }
        foreach (var id in keep)
        {
            _links.TryAdd(id, default);
        }
        _snapshot = null;
    }

    /// <summary>The link to <paramref name="id"/> completed a handshake. True when that changed what is known.</summary>
    public bool Up(ulong id)
    {
        if (!_links.TryGetValue(id, out var link) || !link.IsDown)
        {
            return false;
        }
        _links[id] = link with { IsDown = false };
        _snapshot = null;
        return true;
    }

    /// <summary>The link to <paramref name="id"/> failed or could not be opened. True when that changed what is known.</summary>
    public bool Down(ulong id, DateTimeOffset now)
    {
        if (!_links.ContainsKey(id))
        {
            return false;
        }
        _links[id] = new PeerLink(IsDown: true, LastFailureAt: now);
        _snapshot = null;
        return true;
    }

    /// <summary>True after the link was seen to fail and before it came back.</summary>
    public bool IsKnownDown(ulong id) => _links.TryGetValue(id, out var link) && link.IsDown;

    /// <summary>Every peer's link; a copy made only after a change.</summary>
    public IReadOnlyDictionary<ulong, PeerLink> Snapshot() => _snapshot ??= new Dictionary<ulong, PeerLink>(_links);
}
