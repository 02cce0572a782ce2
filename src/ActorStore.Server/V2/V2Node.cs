namespace ActorStore.Server.V2;

/// <summary>A node of the v2 tree: a directory (with children) or a key (with a value).</summary>
internal sealed class V2Node
{
    public V2Node(string path, V2Node? parent, ulong index, long expireNanos, string? value)
    {
        Path = path;
        Parent = parent;
        CreatedIndex = index;
        ModifiedIndex = index;
        ExpireNanos = expireNanos;
        Value = value ?? "";
        Children = value is null ? new Dictionary<string, V2Node>(StringComparer.Ordinal) : null;
    }

    public string Path { get; }

    public V2Node? Parent { get; set; }

    public string Value { get; set; }

    /// <summary>Null for a key; the children by name for a directory.</summary>
    public Dictionary<string, V2Node>? Children { get; }

    public ulong CreatedIndex { get; set; }

    public ulong ModifiedIndex { get; set; }

    /// <summary>Unix nanoseconds when the node expires; 0 for a permanent node.</summary>
    public long ExpireNanos { get; set; }

    public bool IsDir => Children is not null;

    public bool IsPermanent => ExpireNanos == 0;

    public string Name => V2Paths.Split(Path).Name;

    /// <summary>Names starting with '_' are hidden from directory listings.</summary>
    public bool IsHidden => Name.StartsWith('_');

    /// <summary>The key the API shows: the root has none.</summary>
    public string ExternalKey => Path == "/" ? "" : Path;

    /// <summary>Whole seconds left, rounded up, as etcd computes a node's ttl.</summary>
    public long TtlAt(long nowNanos)
    {
        if (IsPermanent)
        {
            return 0;
        }
        var left = ExpireNanos - nowNanos;
        var seconds = left / 1_000_000_000;
        if (left % 1_000_000_000 > 0)
        {
            seconds++;
        }
        return seconds;
    }

    /// <summary>etcd's Repr: a directory lists its children only when recursive; hidden children are left out.</summary>
    public V2NodeView View(bool recursive, bool sorted, long nowNanos)
    {
        if (!IsDir)
        {
            return new V2NodeView(ExternalKey, Value, false, ExpireNanos, TtlAt(nowNanos), null, ModifiedIndex, CreatedIndex);
        }
        return new V2NodeView(
            ExternalKey, null, true, ExpireNanos, TtlAt(nowNanos), recursive ? ChildViews(true, sorted, nowNanos) : null, ModifiedIndex, CreatedIndex);
    }

    public List<V2NodeView> ChildViews(bool recursive, bool sorted, long nowNanos)
    {
        var views = Children!.Values.Where(child => !child.IsHidden).Select(child => child.View(recursive, sorted, nowNanos)).ToList();
        if (sorted)
        {
            views.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        }
        return views;
    }

    /// <summary>Every node from this one down, this one last (the order in which a removal reaches them).</summary>
    public IEnumerable<V2Node> SelfAndDescendants()
    {
        if (Children is not null)
        {
            foreach (var child in Children.Values.ToList())
            {
                foreach (var node in child.SelfAndDescendants())
                {
                    yield return node;
                }
            }
        }
        yield return this;
    }
}
