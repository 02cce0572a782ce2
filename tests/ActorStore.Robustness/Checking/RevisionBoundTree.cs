namespace ActorStore.Robustness.Checking;

/// <summary>
/// The least store revision still needed by a known operation not yet linearized (a min segment tree over the
/// operations). The store's revision never goes down, so a step that takes it past this bound is a dead end however
/// the rest is ordered: the search prunes it at once instead of exploring on until that operation's return.
/// </summary>
internal sealed class RevisionBoundTree
{
    private readonly long[] _tree;
    private readonly long[] _bounds;
    private readonly int _leaves;

    /// <param name="bounds">Per operation, the revision it needs, or long.MaxValue for none.</param>
    public RevisionBoundTree(IReadOnlyList<long> bounds)
    {
        _bounds = bounds.ToArray();
        _leaves = 1;
        while (_leaves < Math.Max(1, _bounds.Length))
        {
            _leaves *= 2;
        }
        _tree = new long[2 * _leaves];
        Array.Fill(_tree, long.MaxValue);
        for (var i = 0; i < _bounds.Length; i++)
        {
            _tree[_leaves + i] = _bounds[i];
        }
        for (var node = _leaves - 1; node >= 1; node--)
        {
            _tree[node] = Math.Min(_tree[2 * node], _tree[2 * node + 1]);
        }
    }

    public long Minimum => _tree[1];

    public void Remove(int operation) => Set(operation, long.MaxValue);

    public void Restore(int operation) => Set(operation, _bounds[operation]);

    private void Set(int operation, long value)
    {
        var node = _leaves + operation;
        _tree[node] = value;
        for (node /= 2; node >= 1; node /= 2)
        {
            _tree[node] = Math.Min(_tree[2 * node], _tree[2 * node + 1]);
        }
    }
}
