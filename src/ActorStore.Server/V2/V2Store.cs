namespace ActorStore.Server.V2;

/// <summary>
/// etcd's v2 store: a tree of directories and keys, each with the indexes of its creation and last change, and TTLs.
/// Every write takes the next index; expired keys are removed only when a committed sync says so, so that all
/// members remove them at the same index. Owned by one writer (the apply actor); the clock only shows TTLs.
/// </summary>
public sealed class V2Store
{
    private readonly Func<long> _nowNanos;
    private readonly HashSet<V2Node> _expiring = [];

    public V2Store(Func<long> nowNanos, int historyCapacity = 1000)
    {
        _nowNanos = nowNanos;
        Root = new V2Node("/", null, 0, 0, null);
        Watchers = new V2WatcherHub(historyCapacity);
    }

    internal V2Node Root { get; private set; }

    /// <summary>The index of the last write.</summary>
    public ulong CurrentIndex { get; private set; }

    public V2WatcherHub Watchers { get; }

    public V2StoreStats Stats { get; } = new();

    public bool HasTtlKeys => _expiring.Count > 0;

    public V2Event Get(string path, bool recursive, bool sorted) =>
        Counted("gets", () => GetCore(path, recursive, sorted));

    private V2Event GetCore(string path, bool recursive, bool sorted)
    {
        var node = Find(V2Paths.Clean(path));
        var now = _nowNanos();
        var view = node.IsDir
            ? node.View(false, sorted, now) with { Nodes = node.ChildViews(recursive, sorted, now) }
            : node.View(false, sorted, now);
        return new V2Event(V2Actions.Get, view, null, CurrentIndex);
    }

    /// <summary>Creates a key or directory that must not exist; with <paramref name="unique"/>, one named by the next index under the path (POST).</summary>
    public V2Event Create(string path, bool dir, string value, bool unique, long expireNanos) =>
        Counted("create", () => CreateCore(path, dir, value, unique, expireNanos));

    private V2Event CreateCore(string path, bool dir, string value, bool unique, long expireNanos)
    {
        var e = InternalCreate(path, dir, value, unique, false, expireNanos, V2Actions.Create);
        Watchers.Notify(e);
        return e;
    }

    /// <summary>Creates or replaces a key (or creates a directory); with refresh, only the TTL of an existing key changes.</summary>
    public V2Event Set(string path, bool dir, string value, long expireNanos, bool refresh) =>
        Counted("sets", () => SetCore(path, dir, value, expireNanos, refresh));

    private V2Event SetCore(string path, bool dir, string value, long expireNanos, bool refresh)
    {
        var clean = V2Paths.Clean(path);
        V2Node? existing = null;
        try
        {
            existing = Find(clean);
        }
        catch (V2Error e) when (e.ErrorCode == V2Error.KeyNotFound && !refresh)
        {
        }
        var previous = existing?.View(false, false, _nowNanos());
        if (refresh)
        {
            value = existing!.Value;
        }
        var created = InternalCreate(clean, dir, value, false, true, expireNanos, V2Actions.Set);
        var result = created with { PrevNode = existing is null ? null : previous, Refresh = refresh };
        Publish(result);
        return result;
    }

    public V2Event Update(string path, string value, long expireNanos, bool refresh) =>
        Counted("update", () => UpdateCore(path, value, expireNanos, refresh));

    private V2Event UpdateCore(string path, string value, long expireNanos, bool refresh)
    {
        var clean = V2Paths.Clean(path);
        RefuseRoot(clean);
        var node = Find(clean);
        if (node.IsDir && value.Length != 0)
        {
            throw new V2Error(V2Error.NotFile, clean, CurrentIndex);
        }
        if (refresh)
        {
            value = node.Value;
        }
        var next = CurrentIndex + 1;
        var now = _nowNanos();
        var previous = node.View(false, false, now);
        if (!node.IsDir)
        {
            // etcd's Write refuses a directory, and its Update ignores that: a directory keeps its modifiedIndex.
            node.Value = value;
            node.ModifiedIndex = next;
        }
        SetExpiry(node, expireNanos);
        CurrentIndex = next;
        var e = new V2Event(V2Actions.Update, AfterWrite(node, now) with { ModifiedIndex = next }, previous, next, refresh);
        Publish(e);
        return e;
    }

    public V2Event CompareAndSwap(string path, string prevValue, ulong prevIndex, string value, long expireNanos, bool refresh) =>
        Counted("compareAndSwap", () => CompareAndSwapCore(path, prevValue, prevIndex, value, expireNanos, refresh));

    private V2Event CompareAndSwapCore(string path, string prevValue, ulong prevIndex, string value, long expireNanos, bool refresh)
    {
        var clean = V2Paths.Clean(path);
        RefuseRoot(clean);
        var node = Find(clean);
        if (node.IsDir)
        {
            throw new V2Error(V2Error.NotFile, clean, CurrentIndex);
        }
        Compare(node, prevValue, prevIndex);
        if (refresh)
        {
            value = node.Value;
        }
        CurrentIndex++;
        var now = _nowNanos();
        var previous = node.View(false, false, now);
        node.Value = value;
        node.ModifiedIndex = CurrentIndex;
        SetExpiry(node, expireNanos);
        var e = new V2Event(V2Actions.CompareAndSwap, AfterWrite(node, now), previous, CurrentIndex, refresh);
        Publish(e);
        return e;
    }

    public V2Event Delete(string path, bool dir, bool recursive) =>
        Counted("delete", () => DeleteCore(path, dir, recursive));

    private V2Event DeleteCore(string path, bool dir, bool recursive)
    {
        var clean = V2Paths.Clean(path);
        RefuseRoot(clean);
        if (recursive)
        {
            dir = true;
        }
        var node = Find(clean);
        var next = CurrentIndex + 1;
        var previous = node.View(false, false, _nowNanos());
        var e = new V2Event(
            V2Actions.Delete, new V2NodeView(node.ExternalKey, null, node.IsDir, 0, 0, null, next, node.CreatedIndex), previous, next);
        Remove(node, dir, recursive, e);
        CurrentIndex = next;
        Watchers.Notify(e);
        return e;
    }

    public V2Event CompareAndDelete(string path, string prevValue, ulong prevIndex) =>
        Counted("compareAndDelete", () => CompareAndDeleteCore(path, prevValue, prevIndex));

    private V2Event CompareAndDeleteCore(string path, string prevValue, ulong prevIndex)
    {
        var clean = V2Paths.Clean(path);
        var node = Find(clean);
        if (node.IsDir)
        {
            throw new V2Error(V2Error.NotFile, clean, CurrentIndex);
        }
        Compare(node, prevValue, prevIndex);
        CurrentIndex++;
        var previous = node.View(false, false, _nowNanos());
        var e = new V2Event(
            V2Actions.CompareAndDelete, new V2NodeView(node.ExternalKey, null, false, 0, 0, null, CurrentIndex, node.CreatedIndex), previous, CurrentIndex);
        Remove(node, false, false, e);
        Watchers.Notify(e);
        return e;
    }

    /// <summary>A watcher from <paramref name="sinceIndex"/> (0: from the next write on).</summary>
    public V2Watcher Watch(string path, bool recursive, bool stream, ulong sinceIndex) =>
        Watchers.Watch(V2Paths.Clean(path), recursive, stream, sinceIndex == 0 ? CurrentIndex + 1 : sinceIndex, CurrentIndex);

    /// <summary>Removes every node that expires at or before <paramref name="cutoffNanos"/>, soonest first, each an expire event.</summary>
    public void DeleteExpiredKeys(long cutoffNanos)
    {
        var due = _expiring.Where(n => n.ExpireNanos <= cutoffNanos)
            .OrderBy(n => n.ExpireNanos).ThenBy(n => n.Path, StringComparer.Ordinal).ToList();
        foreach (var node in due)
        {
            if (!_expiring.Contains(node))
            {
                // Gone already, with a directory that expired before it.
                continue;
            }
            CurrentIndex++;
            var previous = node.View(false, false, _nowNanos());
            var e = new V2Event(
                V2Actions.Expire, new V2NodeView(node.ExternalKey, null, node.IsDir, 0, 0, null, CurrentIndex, node.CreatedIndex), previous, CurrentIndex);
            _expiring.Remove(node);
            Remove(node, true, true, e);
            Stats.Increment("expireCount");
            Watchers.Notify(e);
        }
    }

    /// <summary>Counts the operation's success or failure under etcd's name for it.</summary>
    private V2Event Counted(string operation, Func<V2Event> run)
    {
        try
        {
            var e = run();
            Stats.Increment(operation + "Success");
            return e;
        }
        catch (V2Error)
        {
            Stats.Increment(operation + "Fail");
            throw;
        }
    }

    /// <summary>The node at a clean path, or etcd's errors: "Not a directory" for a key on the way, "Key not found".</summary>
    internal V2Node Find(string cleanPath)
    {
        var current = Root;
        foreach (var name in cleanPath.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!current.IsDir)
            {
                throw new V2Error(V2Error.NotDir, current.Path, CurrentIndex);
            }
            if (!current.Children!.TryGetValue(name, out var child))
            {
                throw new V2Error(V2Error.KeyNotFound, V2Paths.Join(current.Path, name), CurrentIndex);
            }
            current = child;
        }
        return current;
    }

    private V2Event InternalCreate(string path, bool dir, string value, bool unique, bool replace, long expireNanos, string action)
    {
        var currentIndex = CurrentIndex;
        var next = currentIndex + 1;
        if (unique)
        {
            path += "/" + next.ToString("D20", System.Globalization.CultureInfo.InvariantCulture);
        }
        var clean = V2Paths.Clean(path);
        RefuseRoot(clean);
        if (expireNanos < MinExpireNanos)
        {
            expireNanos = 0;
        }
        var (directoryPath, name) = V2Paths.Split(clean);
        V2Node directory;
        try
        {
            directory = EnsureDirectory(directoryPath, next);
        }
        catch (V2Error)
        {
            // etcd counts a failed walk to the parent as a failed set, whichever operation it was.
            Stats.Increment("setsFail");
            throw;
        }
        var now = _nowNanos();
        V2NodeView? previous = null;
        if (directory.Children!.TryGetValue(name, out var existing))
        {
            if (!replace)
            {
                throw new V2Error(V2Error.NodeExist, clean, currentIndex);
            }
            if (existing.IsDir)
            {
                throw new V2Error(V2Error.NotFile, clean, currentIndex);
            }
            previous = existing.View(false, false, now);
            Detach(existing);
        }
        var node = new V2Node(clean, directory, next, expireNanos, dir ? null : value);
        directory.Children[name] = node;
        if (!node.IsPermanent)
        {
            _expiring.Add(node);
        }
        CurrentIndex = next;
        return new V2Event(action, node.View(false, false, now) with { Nodes = null }, previous, next);
    }

    /// <summary>etcd's minExpireTime (2000-01-01): an earlier expiration means a permanent node.</summary>
    private const long MinExpireNanos = 946_684_800_000_000_000;

    /// <summary>Walks to a directory, making the missing ones (created at the index of the write that needs them).</summary>
    private V2Node EnsureDirectory(string cleanPath, ulong index)
    {
        var current = Root;
        foreach (var name in cleanPath.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (current.Children!.TryGetValue(name, out var child))
            {
                if (!child.IsDir)
                {
                    throw new V2Error(V2Error.NotDir, child.Path, CurrentIndex);
                }
                current = child;
                continue;
            }
            var made = new V2Node(V2Paths.Join(current.Path, name), current, index, 0, null);
            current.Children[name] = made;
            current = made;
        }
        return current;
    }

    private void RefuseRoot(string cleanPath)
    {
        if (cleanPath == "/")
        {
            throw new V2Error(V2Error.RootReadOnly, "/", CurrentIndex);
        }
    }

    private void Compare(V2Node node, string prevValue, ulong prevIndex)
    {
        var indexMatch = prevIndex == 0 || node.ModifiedIndex == prevIndex;
        var valueMatch = prevValue.Length == 0 || node.Value == prevValue;
        if (indexMatch && valueMatch)
        {
            return;
        }
        var cause = indexMatch ? $"[{prevValue} != {node.Value}]"
            : valueMatch ? $"[{prevIndex} != {node.ModifiedIndex}]"
            : $"[{prevValue} != {node.Value}] [{prevIndex} != {node.ModifiedIndex}]";
        throw new V2Error(V2Error.TestFailed, cause, CurrentIndex);
    }

    private void SetExpiry(V2Node node, long expireNanos)
    {
        node.ExpireNanos = expireNanos;
        if (expireNanos == 0)
        {
            _expiring.Remove(node);
        }
        else
        {
            _expiring.Add(node);
        }
    }

    /// <summary>The node as a write shows it: a key with its value, a directory flagged, neither with children.</summary>
    private static V2NodeView AfterWrite(V2Node node, long now) => node.View(false, false, now);

    private void Publish(V2Event e)
    {
        if (e.Refresh)
        {
            Watchers.AddWithoutNotifying(e);
        }
        else
        {
            Watchers.Notify(e);
        }
    }

    /// <summary>etcd's node removal: a directory needs dir, a non-empty one recursive; watchers below hear of it.</summary>
    private void Remove(V2Node node, bool dir, bool recursive, V2Event e)
    {
        if (node.IsDir)
        {
            if (!dir)
            {
                throw new V2Error(V2Error.NotFile, node.Path, CurrentIndex);
            }
            if (node.Children!.Count != 0 && !recursive)
            {
                throw new V2Error(V2Error.DirNotEmpty, node.Path, CurrentIndex);
            }
        }
        foreach (var removed in node.SelfAndDescendants())
        {
            Detach(removed);
            Watchers.NotifyWatchers(e, removed.Path, true);
        }
    }

    private void Detach(V2Node node)
    {
        if (node.Parent is { } parent && parent.Children!.TryGetValue(node.Name, out var current) && current == node)
        {
            parent.Children.Remove(node.Name);
        }
        _expiring.Remove(node);
    }

    /// <summary>Replaces the whole tree, as a snapshot install does; watchers end, the history starts over.</summary>
    internal void Restore(V2Node root, ulong index)
    {
        Watchers.RemoveAll();
        Root = root;
        CurrentIndex = index;
        _expiring.Clear();
        foreach (var node in root.SelfAndDescendants())
        {
            if (!node.IsPermanent)
            {
                _expiring.Add(node);
            }
        }
    }
}
