using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;
using static ActorStore.Server.Backup.Bbolt.BboltLayout;

namespace ActorStore.Server.Backup.Bbolt;

/// <summary>
/// Reads a bbolt database file (etcd's backend, or a snapshot of it) page by page, without loading it whole: its top-level
/// buckets and their keys and values in order, inline buckets included. Bytes after the last page (etcd appends a
/// sha256 to a snapshot) are ignored.
/// </summary>
public sealed class BboltReader : IDisposable
{
    private readonly SafeFileHandle _file;
    private readonly long _fileLength;

    private BboltReader(SafeFileHandle file, long fileLength, int pageSize, ulong root, ulong pageCount, ulong txid)
    {
        _file = file;
        _fileLength = fileLength;
        PageSize = pageSize;
        RootPage = root;
        PageCount = pageCount;
        TxId = txid;
    }

    public int PageSize { get; }

    /// <summary>The high-water mark: pages in use, including both metas and the freelist (bbolt's tx.Size() is this times the page size).</summary>
    public ulong PageCount { get; }

    public ulong TxId { get; }

    private ulong RootPage { get; }

    /// <summary>Opens <paramref name="path"/>; throws <see cref="InvalidDataException"/> when neither meta page is valid.</summary>
    public static BboltReader Open(string path)
    {
        var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            var length = RandomAccess.GetLength(file);
            (int PageSize, ulong Root, ulong Pages, ulong TxId)? best = null;
            var firstPageSize = DefaultPageSize;
            for (var meta = 0; meta < 2; meta++)
            {
                var page = new byte[PageHeaderSize + MetaSize];
                var offset = (long)meta * firstPageSize;
                if (RandomAccess.Read(file, page, offset) < page.Length)
                {
                    continue;
                }

                var fields = page.AsSpan(PageHeaderSize);
                if (BinaryPrimitives.ReadUInt32LittleEndian(fields) != Magic
                    || BinaryPrimitives.ReadUInt32LittleEndian(fields[4..]) != FormatVersion
                    || BinaryPrimitives.ReadUInt64LittleEndian(fields[MetaChecksumOffset..]) != MetaChecksum(fields))
                {
                    continue;
                }

                var pageSize = (int)BinaryPrimitives.ReadUInt32LittleEndian(fields[8..]);
                if (meta == 0)
                {
                    firstPageSize = pageSize;
                }

                var candidate = (pageSize,
                    BinaryPrimitives.ReadUInt64LittleEndian(fields[16..]),
                    BinaryPrimitives.ReadUInt64LittleEndian(fields[40..]),
                    BinaryPrimitives.ReadUInt64LittleEndian(fields[48..]));
                if (best is null || candidate.Item4 > best.Value.TxId)
                {
                    best = candidate;
                }
            }

            if (best is not { } chosen)
            {
                throw new InvalidDataException($"{path} is not a bbolt database (no valid meta page)");
            }

            return new BboltReader(file, length, chosen.PageSize, chosen.Root, chosen.Pages, chosen.TxId);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The names of the top-level buckets, in order.</summary>
    public IEnumerable<byte[]> BucketNames() => Walk(ReadPage(RootPage)).Select(static item => item.Key);

    /// <summary>The keys and values of top-level bucket <paramref name="name"/> in order; empty when there is no such bucket.</summary>
    public IEnumerable<KeyValuePair<byte[], byte[]>> Items(ReadOnlySpan<byte> name)
    {
        foreach (var (key, value, flags) in Walk(ReadPage(RootPage)))
        {
            if ((flags & BucketLeafFlag) != 0 && key.AsSpan().SequenceEqual(name))
            {
                return BucketItems(value);
            }
        }

        return [];
    }

    public void Dispose() => _file.Dispose();

    private IEnumerable<KeyValuePair<byte[], byte[]>> BucketItems(byte[] header)
    {
        var root = BinaryPrimitives.ReadUInt64LittleEndian(header);

        // An inline bucket (root 0) carries its single leaf page right after its header.
        var rootPage = root == 0 ? header[BucketHeaderSize..] : ReadPage(root);
        return Walk(rootPage)
            .Where(static item => (item.Flags & BucketLeafFlag) == 0)
            .Select(static item => new KeyValuePair<byte[], byte[]>(item.Key, item.Value));
    }

    private IEnumerable<(byte[] Key, byte[] Value, uint Flags)> Walk(byte[] page)
    {
        var flags = BinaryPrimitives.ReadUInt16LittleEndian(page.AsSpan(8));
        var count = BinaryPrimitives.ReadUInt16LittleEndian(page.AsSpan(10));
        for (var i = 0; i < count; i++)
        {
            var at = PageHeaderSize + (i * ElementSize);
            if ((flags & BranchPageFlag) != 0)
            {
                var child = BinaryPrimitives.ReadUInt64LittleEndian(page.AsSpan(at + 8));
                foreach (var item in Walk(ReadPage(child)))
                {
                    yield return item;
                }
            }
            else if ((flags & LeafPageFlag) != 0)
            {
                var element = page.AsSpan(at);
                var itemFlags = BinaryPrimitives.ReadUInt32LittleEndian(element);
                var pos = at + (int)BinaryPrimitives.ReadUInt32LittleEndian(element[4..]);
                var keySize = (int)BinaryPrimitives.ReadUInt32LittleEndian(element[8..]);
                var valueSize = (int)BinaryPrimitives.ReadUInt32LittleEndian(element[12..]);
                yield return (page.AsSpan(pos, keySize).ToArray(), page.AsSpan(pos + keySize, valueSize).ToArray(), itemFlags);
            }
            else
            {
                throw new InvalidDataException($"page {BinaryPrimitives.ReadUInt64LittleEndian(page)} is neither a branch nor a leaf (flags {flags:x})");
            }
        }
    }

    private byte[] ReadPage(ulong id)
    {
        if (id >= PageCount)
        {
            throw new InvalidDataException($"page {id} is beyond the database's {PageCount} pages");
        }

        var offset = (long)id * PageSize;
        var header = new byte[PageHeaderSize];
        ReadExactly(header, offset);
        var overflow = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(12));
        var page = new byte[(overflow + 1L) * PageSize];
        ReadExactly(page, offset);
        return page;
    }

    private void ReadExactly(byte[] buffer, long offset)
    {
        if (offset + buffer.Length > _fileLength)
        {
            throw new InvalidDataException($"the database is truncated at offset {offset}");
        }

        var read = 0;
        while (read < buffer.Length)
        {
            var n = RandomAccess.Read(_file, buffer.AsSpan(read), offset + read);
            if (n == 0)
            {
                throw new InvalidDataException($"the database is truncated at offset {offset + read}");
            }

            read += n;
        }
    }
}
