namespace ActorStore.Server.V2;

/// <summary>
/// The v2 watchers by the path they watch, and the event history. The store notifies it on its single writer; the
/// HTTP side removes watchers from its own threads, hence the lock.
/// </summary>
public sealed class V2WatcherHub
{
    private readonly object _gate = new();
    private readonly Dictionary<string, List<V2Watcher>> _watchers = new(StringComparer.Ordinal);
    private int _count;

    public V2WatcherHub(int historyCapacity = 1000)
    {
        History = new V2EventHistory(historyCapacity);
    }

    public V2EventHistory History { get; }

    public int Count => Volatile.Read(ref _count);

    /// <summary>
    /// A watcher of <paramref name="key"/> from <paramref name="sinceIndex"/>: answered at once from the history when
    /// an event there matches, otherwise waiting for the next one.
    /// </summary>
    public V2Watcher Watch(string key, bool recursive, bool stream, ulong sinceIndex, ulong storeIndex)
    {
        V2Event? past;
        try
        {
            past = History.Scan(key, recursive, sinceIndex);
        }
        catch (V2Error e)
        {
            throw new V2Error(e.ErrorCode, e.Cause, storeIndex);
        }
        var watcher = new V2Watcher(key, recursive, stream, sinceIndex, storeIndex, Forget);
        if (past is not null)
        {
            watcher.DeliverFromHistory(past with { EtcdIndex = storeIndex });
            return watcher;
        }
        lock (_gate)
        {
            if (!_watchers.TryGetValue(key, out var list))
            {
                _watchers[key] = list = [];
            }
            list.Add(watcher);
            _count++;
        }
        return watcher;
    }

    /// <summary>Records the event and wakes the watchers of its key and of every directory above it.</summary>
    public void Notify(V2Event e)
    {
        History.Add(e);
        var key = e.Node.Key.Length == 0 ? "/" : e.Node.Key;
        NotifyWatchers(e, "/", false);
        var current = "";
        foreach (var segment in key.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current += "/" + segment;
            NotifyWatchers(e, current, false);
        }
    }

    /// <summary>A refresh goes to the history only: it wakes no watcher.</summary>
    public void AddWithoutNotifying(V2Event e) => History.Add(e);

    /// <summary>Wakes the watchers of exactly <paramref name="path"/> (with deleted set for nodes removed under a deleted directory).</summary>
    public void NotifyWatchers(V2Event e, string path, bool deleted)
    {
        List<V2Watcher> done = [];
        lock (_gate)
        {
            if (!_watchers.TryGetValue(path, out var list))
            {
                return;
            }
            foreach (var watcher in list.ToList())
            {
                var originalPath = e.Node.Key == path;
                if ((originalPath || !V2Paths.IsHiddenBelow(path, e.Node.Key)) && watcher.Notify(e, originalPath, deleted) && !watcher.Stream)
                {
                    done.Add(watcher);
                }
            }
        }
        foreach (var watcher in done)
        {
            watcher.Remove();
        }
    }

    private void Forget(V2Watcher watcher)
    {
        lock (_gate)
        {
            if (_watchers.TryGetValue(watcher.Key, out var list) && list.Remove(watcher))
            {
                _count--;
                if (list.Count == 0)
                {
                    _watchers.Remove(watcher.Key);
                }
            }
        }
    }

    /// <summary>Ends every watcher, as when the store is replaced by a snapshot.</summary>
    public void RemoveAll()
    {
        List<V2Watcher> all;
        lock (_gate)
        {
            all = _watchers.Values.SelectMany(list => list).ToList();
        }
        foreach (var watcher in all)
        {
            watcher.Remove();
        }
    }
}
