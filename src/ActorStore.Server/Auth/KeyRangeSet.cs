namespace ActorStore.Server.Auth;

/// <summary>
/// A union of key intervals [begin, end), merged so that overlapping or touching intervals become one. An empty end
/// stands for "no upper bound", as in etcd's permission checks (it sorts after every key).
/// </summary>
public sealed class KeyRangeSet
{
    private readonly List<(byte[] Begin, byte[] End)> _merged;

    private KeyRangeSet(List<(byte[] Begin, byte[] End)> merged) => _merged = merged;

    public static KeyRangeSet Empty { get; } = new([]);

    /// <summary>Merges the intervals; a point is the interval [key, key + "\0").</summary>
    public static KeyRangeSet Of(IEnumerable<(byte[] Begin, byte[] End)> intervals)
    {
        var sorted = intervals.OrderBy(interval => interval.Begin, ByteOrder.Instance).ToList();
        var merged = new List<(byte[] Begin, byte[] End)>();
        foreach (var interval in sorted)
        {
            var last = merged.Count > 0 ? merged[^1] : default;
            if (merged.Count > 0 && (last.End.Length == 0 || interval.Begin.AsSpan().SequenceCompareTo(last.End) <= 0))
            {
                if (CompareEnds(interval.End, last.End) > 0)
                {
                    merged[^1] = (last.Begin, interval.End);
                }
            }
            else
            {
                merged.Add(interval);
            }
        }
        return new KeyRangeSet(merged);
    }

    public static (byte[] Begin, byte[] End) Point(byte[] key)
    {
        var end = new byte[key.Length + 1];
        key.CopyTo(end, 0);
        return (key, end);
    }

    public int Count => _merged.Count;

    /// <summary>True when some interval holds <paramref name="key"/>.</summary>
    public bool ContainsKey(ReadOnlySpan<byte> key)
    {
        foreach (var (begin, end) in _merged)
        {
            if (begin.AsSpan().SequenceCompareTo(key) <= 0 && (end.Length == 0 || key.SequenceCompareTo(end) < 0))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>True when the set covers all of [begin, end) (an empty end: every key from begin on).</summary>
    public bool Covers(ReadOnlySpan<byte> begin, ReadOnlySpan<byte> end)
    {
        foreach (var (from, to) in _merged)
        {
            if (from.AsSpan().SequenceCompareTo(begin) <= 0 && CompareEnds(end, to) <= 0)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Compares as range ends: an empty one is past every key.</summary>
    private static int CompareEnds(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) =>
        a.Length == 0 ? (b.Length == 0 ? 0 : 1)
        : b.Length == 0 ? -1
        : a.SequenceCompareTo(b);

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static ByteOrder Instance { get; } = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
