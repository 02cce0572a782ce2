using System.Buffers.Binary;

namespace ActorStore.Mvcc;

/// <summary>
/// A point in the store's history: <see cref="Main"/> is the revision of the write transaction,
/// <see cref="Sub"/> orders the changes made inside that transaction.
/// </summary>
public readonly record struct Revision(long Main, long Sub) : IComparable<Revision>
{
    /// <summary>Length of the big-endian "main_sub" encoding etcd uses as the key of its revision bucket.</summary>
    public const int EncodedLength = 17;

    /// <summary>Length of the encoding with the trailing tombstone mark.</summary>
    public const int EncodedTombstoneLength = 18;

    public int CompareTo(Revision other)
    {
        var byMain = Main.CompareTo(other.Main);
        return byMain != 0 ? byMain : Sub.CompareTo(other.Sub);
    }

    public bool GreaterThan(Revision other) => CompareTo(other) > 0;

    public static bool operator <(Revision left, Revision right) => left.CompareTo(right) < 0;

    public static bool operator >(Revision left, Revision right) => left.CompareTo(right) > 0;

    public static bool operator <=(Revision left, Revision right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Revision left, Revision right) => left.CompareTo(right) >= 0;

    /// <summary>Writes the 17-byte key etcd stores a revision under (main, '_', sub), plus 't' for a tombstone.</summary>
    public int Encode(Span<byte> destination, bool tombstone)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, unchecked((ulong)Main));
        destination[8] = (byte)'_';
        BinaryPrimitives.WriteUInt64BigEndian(destination[9..], unchecked((ulong)Sub));
        if (!tombstone)
        {
            return EncodedLength;
        }

        destination[EncodedLength] = (byte)'t';
        return EncodedTombstoneLength;
    }

    public override string ToString() => $"{Main}_{Sub}";
}
