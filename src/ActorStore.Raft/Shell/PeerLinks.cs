namespace ActorStore.Raft.Shell;

/// <summary>
/// Whether this member's link to each peer is up, and since when: etcd's transport "active since". Proposals are not
/// sent over a link known to be down (the transport would hold them until it reconnects and deliver them long after
/// their requests gave up), and a request that timed out can tell a lost connection from a slow cluster.
/// </summary>
internal sealed class PeerLinks
{
    private readonly Dictionary<ulong, DateTimeOffset?> _activeSince = new();
    private readonly HashSet<ulong> _down = new();
    private IReadOnlyDictionary<ulong, DateTimeOffset?>? _snapshot;

    /// <summary>Follows a new member list: peers that left are forgotten, new ones are not active until their link is up.</summary>
    public void Reset(IEnumerable<ulong> ids)
    {
        var keep = ids.ToHashSet();
        foreach (var gone in _activeSince.Keys.Where(id => !keep.Contains(id)).ToArray())
        {
            _activeSince.Remove(gone);
            _down.Remove(gone);
        }
        foreach (var id in keep)
        {
            _activeSince.TryAdd(id, null);
        }
        _snapshot = null;
    }

    /// <summary>The link to <paramref name="id"/> completed a handshake. True when that changed what is known.</summary>
    public bool Up(ulong id, DateTimeOffset now)
    {
        var changed = _down.Remove(id);
        if (_activeSince.TryGetValue(id, out var since) && since is not null)
        {
            return changed;
        }
        _activeSince[id] = now;
        _snapshot = null;
        return true;
    }

    /// <summary>The link to <paramref name="id"/> failed or could not be opened. True when that changed what is known.</summary>
    public bool Down(ulong id)
    {
        var changed = _down.Add(id);
        if (_activeSince.TryGetValue(id, out var since) && since is null)
        {
            return changed;
        }
        _activeSince[id] = null;
        _snapshot = null;
        return true;
    }

    /// <summary>True after the link was seen to fail and before it came back; a link not tried yet is not known down.</summary>
    public bool IsKnownDown(ulong id) => _down.Contains(id);

    /// <summary>Each peer with the time its link came up, or null while it is not up; a copy made only after a change.</summary>
    public IReadOnlyDictionary<ulong, DateTimeOffset?> Snapshot() => _snapshot ??= new Dictionary<ulong, DateTimeOffset?>(_activeSince);
}
