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

    /// <summary>An Akka event row: every column but the row's key, so a swapped or damaged column fails too.</summary>
    public static uint Event(
        long sequenceNr,
        long timestampTicks,
        string writerUuid,
        string eventManifest,
        int serializerId,
        string serializerManifest,
        ReadOnlySpan<byte> payload)
    {
        Span<byte> header = stackalloc byte[(2 * sizeof(long)) + sizeof(int)];
        BinaryPrimitives.WriteInt64LittleEndian(header, sequenceNr);
        BinaryPrimitives.WriteInt64LittleEndian(header[sizeof(long)..], timestampTicks);
        BinaryPrimitives.WriteInt32LittleEndian(header[(2 * sizeof(long))..], serializerId);
        var crc = Crc32C.Compute(header);
        crc = AppendString(crc, writerUuid);
        crc = AppendString(crc, eventManifest);
        crc = AppendString(crc, serializerManifest);
        return Crc32C.Append(crc, payload);
    }

    /// <summary>An Akka snapshot row (the persistence id is the key and is not covered, as for entries).</summary>
    public static uint SerializedSnapshot(
        long sequenceNr,
        long timestampTicks,
        int serializerId,
        string serializerManifest,
        ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[(2 * sizeof(long)) + sizeof(int)];
        BinaryPrimitives.WriteInt64LittleEndian(header, sequenceNr);
        BinaryPrimitives.WriteInt64LittleEndian(header[sizeof(long)..], timestampTicks);
        BinaryPrimitives.WriteInt32LittleEndian(header[(2 * sizeof(long))..], serializerId);
        return Crc32C.Append(AppendString(Crc32C.Compute(header), serializerManifest), data);
    }

    public static uint State(string key, ReadOnlySpan<byte> value)
    {
        var keyLength = Encoding.UTF8.GetByteCount(key);
        Span<byte> keyBytes = keyLength <= 256 ? stackalloc byte[keyLength] : new byte[keyLength];
        Encoding.UTF8.GetBytes(key, keyBytes);
        return Crc32C.Append(Crc32C.Compute(keyBytes), value);
    }

    // Length-prefixed, so ("ab", "") and ("a", "b") differ.
    private static uint AppendString(uint crc, string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        Span<byte> bytes = length + sizeof(int) <= 256 ? stackalloc byte[length + sizeof(int)] : new byte[length + sizeof(int)];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, length);
        Encoding.UTF8.GetBytes(value, bytes[sizeof(int)..]);
        return Crc32C.Append(crc, bytes);
    }
}
