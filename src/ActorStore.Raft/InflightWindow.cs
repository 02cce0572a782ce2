namespace ActorStore.Raft;

/// <summary>
/// Last indexes of the append messages sent to one follower and not yet acknowledged, oldest first.
/// A ring buffer that grows on demand up to the configured capacity.
/// </summary>
internal sealed class InflightWindow(int capacity)
{
    private ulong[] _buffer = [];
    private int _start;

    public int Capacity { get; } = capacity;

    public int Count { get; private set; }

    public bool IsFull => Count >= Capacity;

    public void Add(ulong lastIndex)
    {
        if (IsFull)
        {
            throw new InvalidOperationException("raft: cannot add to a full in-flight window");
        }

        if (Count == _buffer.Length)
        {
            Grow();
        }

        _buffer[(_start + Count) % _buffer.Length] = lastIndex;
        Count++;
    }

    /// <summary>Releases every message whose last index is at or below <paramref name="index"/>.</summary>
    public void FreeUpTo(ulong index)
    {
        if (Count == 0 || index < _buffer[_start])
        {
            return;
        }

        int freed = 0;
        int position = _start;
        while (freed < Count && _buffer[position] <= index)
        {
            freed++;
            position = (position + 1) % _buffer.Length;
        }

        Count -= freed;
        _start = Count == 0 ? 0 : position;
    }

    public void FreeFirst()
    {
        if (Count == 0)
        {
            return;
        }

        FreeUpTo(_buffer[_start]);
    }

    public void Reset()
    {
        Count = 0;
        _start = 0;
    }

    private void Grow()
    {
        int size = _buffer.Length == 0 ? Math.Min(Capacity, 8) : Math.Min(Capacity, _buffer.Length * 2);
        var grown = new ulong[size];
        for (int i = 0; i < Count; i++)
        {
            grown[i] = _buffer[(_start + i) % _buffer.Length];
        }

        _buffer = grown;
        _start = 0;
    }
}
