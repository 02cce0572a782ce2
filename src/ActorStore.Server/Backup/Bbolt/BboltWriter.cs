using System.Buffers.Binary;
using static ActorStore.Server.Backup.Bbolt.BboltLayout;

namespace ActorStore.Server.Backup.Bbolt;

/// <summary>
/// Writes a new bbolt database to a seekable stream, one top-level bucket at a time, each from its keys in ascending
/// byte order. Pages are appended as the keys come (only the first key of each page is held, for the branch pages
/// above), so a large bucket is written without being held in memory; the meta pages, which name the roots, are
/// written last into the two pages reserved for them at the start.
/// </summary>
/// <remarks>
/// Every page written is reachable from the root (bbolt's consistency check, which `etcdctl snapshot status` runs,
/// accepts no leaked pages), the freelist is empty, and pages are filled as far as they go.
/// </remarks>
public sealed class BboltWriter
{
    private readonly Stream _file;
    private readonly int _pageSize;
    private readonly List<(byte[] Name, byte[] Value)> _buckets = [];
    private ulong _nextPage = 2;
    private bool _finished;

    public BboltWriter(Stream file, int pageSize = DefaultPageSize)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!file.CanSeek || !file.CanWrite)
        {
            throw new ArgumentException("a bbolt file is written to a seekable, writable stream", nameof(file));
        }

        _file = file;
        _pageSize = pageSize;
        _file.Position = 2L * pageSize;
    }

    /// <summary>Writes a top-level bucket; <paramref name="items"/> must come in ascending byte order of their keys, without repeats.</summary>
    public void AddBucket(ReadOnlySpan<byte> name, IEnumerable<KeyValuePair<byte[], byte[]>> items)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (_buckets.Count > 0 && name.SequenceCompareTo(_buckets[^1].Name) <= 0)
        {
            throw new ArgumentException("buckets must be added in ascending order of their names", nameof(name));
        }

        // Like bbolt, a bucket whose single leaf takes at most a quarter page is stored inline, in its parent's value.
        using var enumerator = items.Select(static item => (item.Key, item.Value, 0u)).GetEnumerator();
        var head = new List<(byte[] Key, byte[] Value, uint Flags)>();
        var size = PageHeaderSize;
        var inlineLimit = _pageSize / 4;
        while (size <= inlineLimit && enumerator.MoveNext())
        {
            head.Add(enumerator.Current);
            size += ElementSize + enumerator.Current.Key.Length + enumerator.Current.Value.Length;
        }

        if (size <= inlineLimit)
        {
            var value = new byte[BucketHeaderSize + size];
            FillLeaf(value.AsSpan(BucketHeaderSize), 0, 0, head);
            _buckets.Add((name.ToArray(), value));
            return;
        }

        _buckets.Add((name.ToArray(), BucketHeader(WriteTree(head.Concat(Rest(enumerator))))));
    }

    /// <summary>Writes the root bucket, the freelist and the meta pages; the file then holds exactly its pages.</summary>
    public void Finish(ulong txid = 1)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        _finished = true;
        var root = WriteTree(_buckets.Select(bucket => (bucket.Name, bucket.Value, BucketLeafFlag)));
        var freelist = _nextPage++;
        var page = new byte[_pageSize];
        WritePageHeader(page, freelist, FreelistPageFlag, 0, 0);
        _file.Write(page);
        var end = _file.Position;

        for (var meta = 0; meta < 2; meta++)
        {
            Array.Clear(page);
            WritePageHeader(page, (ulong)meta, MetaPageFlag, 0, 0);
            var fields = page.AsSpan(PageHeaderSize, MetaSize);
            BinaryPrimitives.WriteUInt32LittleEndian(fields, Magic);
            BinaryPrimitives.WriteUInt32LittleEndian(fields[4..], FormatVersion);
            BinaryPrimitives.WriteUInt32LittleEndian(fields[8..], (uint)_pageSize);
            BinaryPrimitives.WriteUInt64LittleEndian(fields[16..], root);
            BinaryPrimitives.WriteUInt64LittleEndian(fields[32..], freelist);
            BinaryPrimitives.WriteUInt64LittleEndian(fields[40..], _nextPage);
            BinaryPrimitives.WriteUInt64LittleEndian(fields[48..], txid - 1 + (ulong)meta);
            BinaryPrimitives.WriteUInt64LittleEndian(fields[MetaChecksumOffset..], MetaChecksum(fields));
            _file.Position = (long)meta * _pageSize;
            _file.Write(page);
        }

        _file.Position = end;
        _file.Flush();
    }

    private static byte[] BucketHeader(ulong root)
    {
        var header = new byte[BucketHeaderSize];
        BinaryPrimitives.WriteUInt64LittleEndian(header, root);
        return header;
    }

    /// <summary>Writes the leaves of one B+tree, then the branch levels above them; returns the root page.</summary>
    private ulong WriteTree(IEnumerable<(byte[] Key, byte[] Value, uint Flags)> items)
    {
        var children = new List<(byte[] FirstKey, ulong Page)>();
        var pending = new List<(byte[] Key, byte[] Value, uint Flags)>();
        var size = PageHeaderSize;
        byte[]? previous = null;
        foreach (var item in items)
        {
            if (previous is not null && item.Key.AsSpan().SequenceCompareTo(previous) <= 0)
            {
                throw new ArgumentException("keys must come in ascending byte order, without repeats", nameof(items));
            }

            previous = item.Key;
            var itemSize = ElementSize + item.Key.Length + item.Value.Length;
            if (pending.Count > 0 && size + itemSize > _pageSize)
            {
                children.Add((pending[0].Key, WriteLeaf(pending, size)));
                pending.Clear();
                size = PageHeaderSize;
            }

            pending.Add(item);
            size += itemSize;
        }

        if (pending.Count > 0 || children.Count == 0)
        {
            children.Add((pending.Count > 0 ? pending[0].Key : [], WriteLeaf(pending, size)));
        }

        while (children.Count > 1)
        {
            children = WriteBranchLevel(children);
        }

        return children[0].Page;
    }

    private List<(byte[] FirstKey, ulong Page)> WriteBranchLevel(List<(byte[] FirstKey, ulong Page)> children)
    {
        var parents = new List<(byte[] FirstKey, ulong Page)>();
        var pending = new List<(byte[] FirstKey, ulong Page)>();
        var size = PageHeaderSize;
        foreach (var child in children)
        {
            var childSize = ElementSize + child.FirstKey.Length;
            if (pending.Count > 1 && size + childSize > _pageSize)
            {
                parents.Add((pending[0].FirstKey, WriteBranch(pending, size)));
                pending.Clear();
                size = PageHeaderSize;
            }

            pending.Add(child);
            size += childSize;
        }

        parents.Add((pending[0].FirstKey, WriteBranch(pending, size)));
        return parents;
    }

    private static IEnumerable<T> Rest<T>(IEnumerator<T> enumerator)
    {
        while (enumerator.MoveNext())
        {
            yield return enumerator.Current;
        }
    }

    private ulong WriteLeaf(List<(byte[] Key, byte[] Value, uint Flags)> items, int size)
    {
        var id = _nextPage;
        var pages = (size + _pageSize - 1) / _pageSize;
        _nextPage += (ulong)pages;
        var page = new byte[pages * _pageSize];
        FillLeaf(page, id, pages - 1, items);
        _file.Write(page);
        return id;
    }

    /// <summary>Lays out a leaf page (header, elements, then each key and value) at the start of <paramref name="page"/>.</summary>
    private static void FillLeaf(Span<byte> page, ulong id, int overflow, List<(byte[] Key, byte[] Value, uint Flags)> items)
    {
        WritePageHeader(page, id, LeafPageFlag, items.Count, overflow);
        var data = PageHeaderSize + (items.Count * ElementSize);
        for (var i = 0; i < items.Count; i++)
        {
            var (key, value, flags) = items[i];
            var at = PageHeaderSize + (i * ElementSize);
            var element = page[at..];
            BinaryPrimitives.WriteUInt32LittleEndian(element, flags);
            BinaryPrimitives.WriteUInt32LittleEndian(element[4..], (uint)(data - at));
            BinaryPrimitives.WriteUInt32LittleEndian(element[8..], (uint)key.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(element[12..], (uint)value.Length);
            key.CopyTo(page[data..]);
            value.CopyTo(page[(data + key.Length)..]);
            data += key.Length + value.Length;
        }
    }

    private ulong WriteBranch(List<(byte[] FirstKey, ulong Page)> children, int size)
    {
        var (id, page) = NewPage(size, BranchPageFlag, children.Count);
        var data = PageHeaderSize + (children.Count * ElementSize);
        for (var i = 0; i < children.Count; i++)
        {
            var (key, child) = children[i];
            var element = page.AsSpan(PageHeaderSize + (i * ElementSize));
            BinaryPrimitives.WriteUInt32LittleEndian(element, (uint)(data - (PageHeaderSize + (i * ElementSize))));
            BinaryPrimitives.WriteUInt32LittleEndian(element[4..], (uint)key.Length);
            BinaryPrimitives.WriteUInt64LittleEndian(element[8..], child);
            key.CopyTo(page, data);
            data += key.Length;
        }

        _file.Write(page);
        return id;
    }

    /// <summary>A page (with overflow pages when one element does not fit in one) and its id.</summary>
    private (ulong Id, byte[] Page) NewPage(int size, ushort flags, int count)
    {
        var pages = (size + _pageSize - 1) / _pageSize;
        var id = _nextPage;
        _nextPage += (ulong)pages;
        var page = new byte[pages * _pageSize];
        WritePageHeader(page, id, flags, count, pages - 1);
        return (id, page);
    }
}
