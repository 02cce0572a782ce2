using Google.Protobuf;

namespace ActorStore.Server.Lease;

/// <summary>Keys in byte order, as etcd sorts them.</summary>
public sealed class ByteStringOrder : IComparer<ByteString>
{
    public static readonly ByteStringOrder Instance = new();

    public int Compare(ByteString? x, ByteString? y) =>
        (x is null ? ReadOnlySpan<byte>.Empty : x.Span).SequenceCompareTo(y is null ? ReadOnlySpan<byte>.Empty : y.Span);
}
