using System.Buffers.Binary;

namespace ActorStore.Server.Backup.Bbolt;

/// <summary>
/// The on-disk layout of a bbolt database (the file etcd keeps its backend in, and sends as a snapshot): fixed-size
/// pages, two meta pages, a freelist page, and one B+tree per bucket whose leaves hold the sorted keys and values.
/// All integers are little-endian, as bbolt writes them on the machines etcd runs on.
/// </summary>
internal static class BboltLayout
{
    public const int DefaultPageSize = 4096;
    public const int PageHeaderSize = 16;
    public const int ElementSize = 16;
    public const int BucketHeaderSize = 16;

    public const ushort BranchPageFlag = 0x01;
    public const ushort LeafPageFlag = 0x02;
    public const ushort MetaPageFlag = 0x04;
    public const ushort FreelistPageFlag = 0x10;

    /// <summary>A leaf element whose value is a nested bucket.</summary>
    public const uint BucketLeafFlag = 0x01;

    public const uint Magic = 0xED0CDAED;
    public const uint FormatVersion = 2;

    /// <summary>Meta fields, from the meta's start: magic, version, page size, flags, root bucket (root, sequence), freelist, pgid, txid, checksum.</summary>
    public const int MetaChecksumOffset = 56;
    public const int MetaSize = 64;

    public static void WritePageHeader(Span<byte> page, ulong id, ushort flags, int count, int overflow)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(page, id);
        BinaryPrimitives.WriteUInt16LittleEndian(page[8..], flags);
        BinaryPrimitives.WriteUInt16LittleEndian(page[10..], checked((ushort)count));
        BinaryPrimitives.WriteUInt32LittleEndian(page[12..], checked((uint)overflow));
    }

    /// <summary>bbolt's meta checksum: 64-bit FNV-1a over the meta fields before the checksum.</summary>
    public static ulong MetaChecksum(ReadOnlySpan<byte> meta)
    {
        var hash = 14695981039346656037UL;
        foreach (var octet in meta[..MetaChecksumOffset])
        {
            hash ^= octet;
            hash *= 1099511628211UL;
        }

        return hash;
    }
}
