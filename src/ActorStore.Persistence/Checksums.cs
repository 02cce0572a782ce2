using System.Buffers.Binary;
using System.Text;

namespace ActorStore.Persistence;

/// <summary>
/// What each stored record's CRC-32C covers. The key fields are folded in so that a record moved to another
/// key (or a swapped column) fails its check too. Shared by every plugin so their data stays comparable.
/// </summary>
internal static class Checksums
{
    public static uint Entry(long sequenceNr, ReadOnlySpan<byte> payload)
    {
        Span<byte> header = stackalloc byte[sizeof(long)];
        BinaryPrimitives.WriteInt64LittleEndian(header, sequenceNr);
        return Crc32C.Append(Crc32C.Compute(header), payload);
    }

    public static uint Snapshot(long sequenceNr, long timestampUtcTicks, ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[2 * sizeof(long)];
        BinaryPrimitives.WriteInt64LittleEndian(header, sequenceNr);
        BinaryPrimitives.WriteInt64LittleEndian(header[sizeof(long)..], timestampUtcTicks);
        return Crc32C.Append(Crc32C.Compute(header), data);
    }

    public static uint State(string key, ReadOnlySpan<byte> value)
    {
        var keyLength = Encoding.UTF8.GetByteCount(key);
        Span<byte> keyBytes = keyLength <= 256 ? stackalloc byte[keyLength] : new byte[keyLength];
        Encoding.UTF8.GetBytes(key, keyBytes);
        return Crc32C.Append(Crc32C.Compute(keyBytes), value);
    }
}
