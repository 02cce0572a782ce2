using Google.Protobuf;

namespace ActorStore.Server.Watch;

/// <summary>
/// The keys a watcher sees: one key when <see cref="End"/> is null, every key from <see cref="Key"/> on when it is
/// empty, otherwise [<see cref="Key"/>, <see cref="End"/>).
/// </summary>
internal sealed record WatchKeyRange(ByteString Key, ByteString? End)
{
    public bool IsSingleKey => End is null;

    public bool Contains(ReadOnlySpan<byte> key)
    {
        if (End is null)
        {
            return key.SequenceEqual(Key.Span);
        }
        if (key.SequenceCompareTo(Key.Span) < 0)
        {
            return false;
        }
        return End.IsEmpty || key.SequenceCompareTo(End.Span) < 0;
    }

    /// <summary>
    /// The range a create request names, with etcd's conventions: an empty key is "\0" (the smallest key), an empty
    /// range end is the key alone, a range end of "\0" is every key from the key on. Null when the range is empty.
    /// </summary>
    public static WatchKeyRange? FromRequest(ByteString key, ByteString rangeEnd)
    {
        var start = key.IsEmpty ? ByteString.CopyFrom(0) : key;
        if (rangeEnd.IsEmpty)
        {
            return new WatchKeyRange(start, null);
        }
        if (rangeEnd.Length == 1 && rangeEnd[0] == 0)
        {
            return new WatchKeyRange(start, ByteString.Empty);
        }
        return start.Span.SequenceCompareTo(rangeEnd.Span) < 0 ? new WatchKeyRange(start, rangeEnd) : null;
    }
}
