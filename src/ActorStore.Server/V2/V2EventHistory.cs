namespace ActorStore.Server.V2;

/// <summary>
/// The last events of the v2 store (etcd keeps 1000), which a watcher with a past waitIndex is answered from. An
/// index older than the oldest event kept is "event index cleared".
/// </summary>
public sealed class V2EventHistory
{
    private readonly LinkedList<V2Event> _events = new();

    public V2EventHistory(int capacity = 1000)
    {
        Capacity = capacity;
    }

    public int Capacity { get; }

    /// <summary>The index of the oldest event kept (0 while empty).</summary>
    public ulong StartIndex => _events.First?.Value.Index ?? 0;

    /// <summary>The index of the newest event (0 while empty).</summary>
    public ulong LastIndex => _events.Last?.Value.Index ?? 0;

    /// <summary>The events kept, oldest first.</summary>
    public IEnumerable<V2Event> Events => _events;

    public void Add(V2Event e)
    {
        _events.AddLast(e);
        if (_events.Count > Capacity)
        {
            _events.RemoveFirst();
        }
    }

    /// <summary>The first event at or after <paramref name="index"/> that a watcher of the key would see, if any.</summary>
    public V2Event? Scan(string key, bool recursive, ulong index)
    {
        if (index < StartIndex)
        {
            throw new V2Error(V2Error.EventIndexCleared, $"the requested history has been cleared [{StartIndex}/{index}]", 0);
        }
        if (index > LastIndex)
        {
            return null;
        }
        var directoryPrefix = key.EndsWith('/') ? key : key + "/";
        foreach (var e in _events)
        {
            if (e.Index < index || e.Refresh)
            {
                continue;
            }
            var matches = e.Node.Key == key || (recursive && e.Node.Key.StartsWith(directoryPrefix, StringComparison.Ordinal));
            // A deleted or expired directory is news to every watcher below it.
            if ((e.Action == V2Actions.Delete || e.Action == V2Actions.Expire) && e.PrevNode is { Dir: true } prev
                && key.StartsWith(prev.Key, StringComparison.Ordinal))
            {
                matches = true;
            }
            if (matches)
            {
                return e;
            }
        }
        return null;
    }
}
