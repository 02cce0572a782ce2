namespace ActorStore.Robustness.Checking;

/// <summary>
/// The least of one value per operation over the operations not taken out (a min segment tree): O(log n) to take one
/// out or put it back, O(1) to read. The search keeps two: the revision the not-yet-linearized required operations
/// need, and their earliest return.
/// </summary>
internal sealed class MinimumTree
{
    private readonly long[] _tree;
    private readonly long[] _values;
    private readonly int _leaves;

    /// <param name="values">Per operation, its value, or long.MaxValue for none.</param>
    public MinimumTree(IReadOnlyList<long> values)
    {
        _values = values.ToArray();
        _leaves = 1;
        while (_leaves < Math.Max(1, _values.Length))
        {
            _leaves *= 2;
        }
        _tree = new long[2 * _leaves];
        Array.Fill(_tree, long.MaxValue);
        for (var i = 0; i < _values.Length; i++)
        {
            _tree[_leaves + i] = _values[i];
        }
        for (var node = _leaves - 1; node >= 1; node--)
        {
            _tree[node] = Math.Min(_tree[2 * node], _tree[2 * node + 1]);
        }
    }

    public long Minimum => _tree[1];

    public void Remove(int operation) => Set(operation, long.MaxValue);

    public void Restore(int operation) => Set(operation, _values[operation]);

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
