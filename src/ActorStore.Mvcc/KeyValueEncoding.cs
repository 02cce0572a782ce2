namespace ActorStore.Mvcc;

/// <summary>
/// The protobuf bytes etcd stores for a revision (an mvccpb.KeyValue, fields in number order, zero values omitted;
/// a tombstone holds the key alone). HashKV checksums exactly these bytes, so they must match etcd's byte for byte.
/// </summary>
internal static class KeyValueEncoding
{
    private const byte KeyTag = (1 << 3) | 2;
    private const byte CreateRevisionTag = 2 << 3;
    private const byte ModRevisionTag = 3 << 3;
    private const byte VersionTag = 4 << 3;
    private const byte ValueTag = (5 << 3) | 2;
    private const byte LeaseTag = 6 << 3;

    // Tag (1) + longest varint (10) for each of the six fields, plus the two length prefixes' spare room.
    private const int FixedOverhead = 6 * 11;

    public static int MaxLength(RevisionRecord record) => FixedOverhead + record.Key.Length + record.Value.Length;

    public static int Write(RevisionRecord record, Span<byte> destination)
    {
        var written = WriteBytes(KeyTag, record.Key.Span, destination);
        if (record.IsTombstone)
        {
            return written;
        }

        written += WriteInt64(CreateRevisionTag, record.CreateRevision, destination[written..]);
        written += WriteInt64(ModRevisionTag, record.Revision.Main, destination[written..]);
        written += WriteInt64(VersionTag, record.Version, destination[written..]);
        written += WriteBytes(ValueTag, record.Value.Span, destination[written..]);
        written += WriteInt64(LeaseTag, record.Lease, destination[written..]);
        return written;
    }

    private static int WriteBytes(byte tag, ReadOnlySpan<byte> value, Span<byte> destination)
    {
        if (value.IsEmpty)
        {
            return 0;
        }

        destination[0] = tag;
        var written = 1 + WriteVarint((ulong)value.Length, destination[1..]);
        value.CopyTo(destination[written..]);
        return written + value.Length;
    }

    private static int WriteInt64(byte tag, long value, Span<byte> destination)
    {
        if (value == 0)
        {
            return 0;
        }

        destination[0] = tag;
        return 1 + WriteVarint(unchecked((ulong)value), destination[1..]);
    }

    private static int WriteVarint(ulong value, Span<byte> destination)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }
}
