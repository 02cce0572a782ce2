namespace ActorStore.Mvcc;

/// <summary>Byte arrays in etcd's key order: unsigned bytewise, a prefix before its extensions.</summary>
public sealed class ByteArrayOrder : IComparer<byte[]>
{
    public static readonly ByteArrayOrder Instance = new();

    public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
}
