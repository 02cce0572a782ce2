namespace ActorStore.Server.V2;

/// <summary>
/// The last 200 appends sent or received (etcd's stats queue): packets and bytes per second over the span they cover,
/// nothing when the newest is more than a second old. Callers hold the owner's lock.
/// </summary>
internal sealed class V2RateWindow
{
    private const int Capacity = 200;
    private readonly (long At, int Bytes)[] _items = new (long, int)[Capacity];
    private int _count;
    private int _next;
    private long _bytes;

    public void Insert(long at, int bytes)
    {
        if (_count == Capacity)
        {
            _bytes -= _items[_next].Bytes;
        }
        else
        {
            _count++;
        }
        _items[_next] = (at, bytes);
        _bytes += bytes;
        _next = (_next + 1) % Capacity;
    }

    /// <summary>(packets per second, bytes per second); <paramref name="now"/> and the times are Stopwatch timestamps.</summary>
    public (double Packets, double Bytes) Rate(long now)
    {
        if (_count == 0)
        {
            return (0, 0);
        }
        var newest = _items[(_next - 1 + Capacity) % Capacity].At;
        if (System.Diagnostics.Stopwatch.GetElapsedTime(newest, now) > TimeSpan.FromSeconds(1))
        {
            _count = 0;
            _next = 0;
            _bytes = 0;
            return (0, 0);
        }
        var oldest = _items[(_next - _count + Capacity) % Capacity].At;
        var span = System.Diagnostics.Stopwatch.GetElapsedTime(oldest, newest).TotalSeconds;
        return span <= 0 ? (0, 0) : (_count / span, _bytes / span);
    }
}
