using ActorStore.Persistence;
using System.Buffers.Binary;
using Google.Protobuf;

namespace ActorStore.Mvcc;

/// <summary>
/// The binary snapshot of a store. Layout (integers little-endian):
/// magic "ASMVCCSN", u32 format version, i64 current revision, i64 compact revision, i64 key count,
/// then per key in key order: blob key, u32 generation count, per generation: u32 record count, per record:
/// i64 main, i64 sub, u8 kind (0 put, 1 tombstone) and for a put i64 create revision, i64 version, i64 lease, blob value;
/// finally the u32 CRC-32C of every byte before it. A blob is a u32 length and the bytes.
/// </summary>
internal static class MvccSnapshotFormat
{
    public const uint FormatVersion = 1;

    private const byte PutKind = 0;
    private const byte TombstoneKind = 1;

    public static ReadOnlySpan<byte> Magic => "ASMVCCSN"u8;

    /// <summary>
    /// Writes the image key by key. The key index is not in the image (it changes with every write), so the records are
    /// grouped by key (keeping each key's records in revision order) and the distinct keys sorted; each key's generations
    /// are found again: a tombstone ends one, and the last one has none (it is empty after a deletion), which is how
    /// <see cref="KeyIndex"/> holds them, compacted or not.
    /// </summary>
    public static void Write(MvccStoreImage image, Stream destination)
    {
        var (byKey, keyStarts) = (image.KeyOrder is { } order ? GroupInKeyOrder(image.Records, order) : null) ?? GroupByKey(image.Records);
        var writer = new Writer(destination);
        writer.WriteBytes(Magic);
        writer.WriteUInt32(FormatVersion);
        writer.WriteInt64(image.CurrentRevision);
        writer.WriteInt64(image.CompactRevision);
        writer.WriteInt64(keyStarts.Length - 1);

        for (var i = 0; i + 1 < keyStarts.Length; i++)
        {
            WriteKey(writer, byKey.AsSpan(keyStarts[i], keyStarts[i + 1] - keyStarts[i]));
        }

        writer.Finish();
    }

    /// <summary>
    /// The records in key order, each key's in revision order (as <paramref name="records"/> has them), and where each
    /// key's run starts (plus the end). Grouping by hash and sorting only the distinct keys costs far less than sorting
    /// every record: a keyspace with a long history has many records per key.
    /// </summary>
    private static (RevisionRecord[] ByKey, int[] KeyStarts) GroupByKey(IReadOnlyList<RevisionRecord> records)
    {
        var keyOf = new int[records.Count];
        var ids = new Dictionary<ByteString, int>();
        var counts = new List<int>();
        var keys = new List<ByteString>();
        for (var i = 0; i < records.Count; i++)
        {
            var key = records[i].Key;
            if (!ids.TryGetValue(key, out var id))
            {
                id = keys.Count;
                ids.Add(key, id);
                keys.Add(key);
                counts.Add(0);
            }
            keyOf[i] = id;
            counts[id]++;
        }

        var order = new int[keys.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }
        Array.Sort(order, (a, b) => keys[a].Span.SequenceCompareTo(keys[b].Span));

        var rankOfId = new int[order.Length];
        var countsByRank = new int[order.Length];
        for (var rank = 0; rank < order.Length; rank++)
        {
            rankOfId[order[rank]] = rank;
            countsByRank[rank] = counts[order[rank]];
        }
        for (var i = 0; i < keyOf.Length; i++)
        {
            keyOf[i] = rankOfId[keyOf[i]];
        }
        return PlaceInRuns(records, keyOf, countsByRank);
    }

    /// <summary>
    /// What <see cref="GroupByKey"/> returns, from the key indexes in key order: a record finds its key's rank by the
    /// identity of its key bytes, which it shares with its key index, so nothing is hashed by content and nothing sorted.
    /// Null when a record does not share them (a store built from another's records), for <see cref="GroupByKey"/> to do.
    /// </summary>
    private static (RevisionRecord[] ByKey, int[] KeyStarts)? GroupInKeyOrder(IReadOnlyList<RevisionRecord> records, KeyIndex[] keyOrder)
    {
        var rankOf = new Dictionary<ByteString, int>(keyOrder.Length, ReferenceEqualityComparer.Instance);
        for (var rank = 0; rank < keyOrder.Length; rank++)
        {
            rankOf.Add(keyOrder[rank].KeyBytes, rank);
        }

        var rankOfRecord = new int[records.Count];
        var counts = new int[keyOrder.Length];
        for (var i = 0; i < records.Count; i++)
        {
            if (!rankOf.TryGetValue(records[i].Key, out var rank))
            {
                return null;
            }

            rankOfRecord[i] = rank;
            counts[rank]++;
        }

        return PlaceInRuns(records, rankOfRecord, counts);
    }

    /// <summary>
    /// The records in runs by their key's rank, each run in revision order (as <paramref name="records"/> has them), and
    /// where each run starts (plus the end). A rank without records (a key with none in the image) gets no run.
    /// </summary>
    private static (RevisionRecord[] ByKey, int[] KeyStarts) PlaceInRuns(IReadOnlyList<RevisionRecord> records, int[] rankOfRecord, int[] countsByRank)
    {
        var keyStarts = new List<int>(countsByRank.Length + 1) { 0 };
        var next = new int[countsByRank.Length];
        for (var rank = 0; rank < countsByRank.Length; rank++)
        {
            if (countsByRank[rank] > 0)
            {
                next[rank] = keyStarts[^1];
                keyStarts.Add(keyStarts[^1] + countsByRank[rank]);
            }
        }

        var byKey = new RevisionRecord[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            byKey[next[rankOfRecord[i]]++] = records[i];
        }

        return (byKey, [.. keyStarts]);
    }

    private static void WriteKey(Writer writer, ReadOnlySpan<RevisionRecord> records)
    {
        writer.WriteBlob(records[0].Key.Span);
        var tombstones = 0;
        foreach (var record in records)
        {
            tombstones += record.IsTombstone ? 1 : 0;
        }

        writer.WriteUInt32((uint)tombstones + 1);
        var generationStart = 0;
        for (var generation = 0; generation <= tombstones; generation++)
        {
            var generationEnd = generationStart;
            while (generationEnd < records.Length && !records[generationEnd].IsTombstone)
            {
                generationEnd++;
            }

            if (generationEnd < records.Length)
            {
                generationEnd++; // the tombstone closes its generation
            }

            writer.WriteUInt32((uint)(generationEnd - generationStart));
            foreach (var record in records[generationStart..generationEnd])
            {
                WriteRecord(writer, record);
            }

            generationStart = generationEnd;
        }
    }

    private static void WriteRecord(Writer writer, RevisionRecord record)
    {
        writer.WriteInt64(record.Revision.Main);
        writer.WriteInt64(record.Revision.Sub);
        if (record.IsTombstone)
        {
            writer.WriteByte(TombstoneKind);
            return;
        }

        writer.WriteByte(PutKind);
        writer.WriteInt64(record.CreateRevision);
        writer.WriteInt64(record.Version);
        writer.WriteInt64(record.Lease);
        writer.WriteBlob(record.Value.Span);
    }

    public static MvccStore Read(Stream source)
    {
        try
        {
            return ReadUnchecked(source);
        }
        catch (EndOfStreamException)
        {
            throw Corrupt("the data ends too early (truncated)");
        }
    }

    private static MvccStore ReadUnchecked(Stream source)
    {
        var reader = new Reader(source);
        Span<byte> magic = stackalloc byte[8];
        reader.ReadExactly(magic);
        if (!magic.SequenceEqual(Magic))
        {
            throw Corrupt("it does not start with the snapshot magic header");
        }

        var version = reader.ReadUInt32();
        if (version != FormatVersion)
        {
            throw Corrupt($"format version {version} is not supported (expected {FormatVersion})");
        }

        var currentRevision = reader.ReadInt64();
        var compactRevision = reader.ReadInt64();
        var keyCount = reader.ReadInt64();
        if (currentRevision < 1 || compactRevision < -1 || compactRevision > currentRevision || keyCount < 0)
        {
            throw Corrupt($"inconsistent header (current {currentRevision}, compact {compactRevision}, keys {keyCount})");
        }

        var keys = new KeyTree();
        var history = new List<RevisionRecord>();
        byte[]? previousKey = null;
        for (long k = 0; k < keyCount; k++)
        {
            var key = reader.ReadBlob();
            if (previousKey is not null && previousKey.AsSpan().SequenceCompareTo(key) >= 0)
            {
                throw Corrupt("keys are not in strictly increasing order");
            }

            previousKey = key;
            var index = new KeyIndex(key);
            ReadGenerations(reader, index, currentRevision, history);
            keys.Add(index);
        }

        var expected = reader.Checksum;
        var stored = reader.ReadUInt32Unchecked();
        if (stored != expected)
        {
            throw Corrupt($"checksum mismatch (stored {stored:x8}, computed {expected:x8})");
        }

        history.Sort(static (a, b) => a.Revision.CompareTo(b.Revision));
        for (var i = 1; i < history.Count; i++)
        {
            if (history[i - 1].Revision == history[i].Revision)
            {
                throw Corrupt($"revision {history[i].Revision} is stored twice");
            }
        }

        return MvccStore.FromSnapshot(keys, history, currentRevision, compactRevision);
    }

    private static void ReadGenerations(Reader reader, KeyIndex index, long currentRevision, List<RevisionRecord> history)
    {
        var generationCount = reader.ReadUInt32();
        if (generationCount == 0)
        {
            throw Corrupt("a key has no generation");
        }

        for (uint g = 0; g < generationCount; g++)
        {
            var isLast = g == generationCount - 1;
            var recordCount = reader.ReadUInt32();
            if (!isLast && recordCount == 0)
            {
                throw Corrupt("an ended generation has no records");
            }

            for (uint r = 0; r < recordCount; r++)
            {
                var revision = new Revision(reader.ReadInt64(), reader.ReadInt64());
                if (revision.Main < 1 || revision.Sub < 0 || revision.Main > currentRevision || revision <= index.Modified)
                {
                    throw Corrupt($"revision {revision} is out of order or beyond the current revision");
                }

                var kind = reader.ReadByte();
                var endsGeneration = !isLast && r == recordCount - 1;
                RevisionRecord record;
                if (kind == TombstoneKind)
                {
                    if (!endsGeneration || r == 0)
                    {
                        throw Corrupt("a tombstone is not at the end of a generation that has puts");
                    }

                    record = RevisionRecord.Tombstone(index.KeyBytes, revision);
                    index.Tombstone(record);
                }
                else if (kind == PutKind)
                {
                    if (endsGeneration)
                    {
                        throw Corrupt("an ended generation does not end with a tombstone");
                    }

                    var createRevision = reader.ReadInt64();
                    var version = reader.ReadInt64();
                    var lease = reader.ReadInt64();
                    var value = reader.ReadBlob();
                    if (createRevision < 1 || createRevision > revision.Main || version < 1)
                    {
                        throw Corrupt($"record {revision} has an invalid create revision or version");
                    }

                    record = RevisionRecord.Put(
                        index.KeyBytes, revision, value.Length == 0 ? ByteString.Empty : UnsafeByteOperations.UnsafeWrap(value), createRevision, version, lease);
                    index.Put(record);
                }
                else
                {
                    throw Corrupt($"unknown record kind {kind}");
                }

                history.Add(record);
            }
        }

        if (index.IsEmpty)
        {
            throw Corrupt("a key has no records");
        }
    }

    private static InvalidDataException Corrupt(string reason) => new($"Invalid MVCC snapshot: {reason}.");

    /// <summary>Buffers output and checksums every byte written.</summary>
    private sealed class Writer(Stream destination)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _length;
        private uint _crc;

        public void WriteByte(byte value)
        {
            Reserve(1)[0] = value;
            _length++;
        }

        public void WriteUInt32(uint value)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(Reserve(sizeof(uint)), value);
            _length += sizeof(uint);
        }

        public void WriteInt64(long value)
        {
            BinaryPrimitives.WriteInt64LittleEndian(Reserve(sizeof(long)), value);
            _length += sizeof(long);
        }

        public void WriteBlob(ReadOnlySpan<byte> bytes)
        {
            WriteUInt32((uint)bytes.Length);
            WriteBytes(bytes);
        }

        public void WriteBytes(ReadOnlySpan<byte> bytes)
        {
            if (bytes.Length > _buffer.Length - _length)
            {
                Flush();
                if (bytes.Length > _buffer.Length)
                {
                    _crc = Crc32C.Append(_crc, bytes);
                    destination.Write(bytes);
                    return;
                }
            }

            bytes.CopyTo(_buffer.AsSpan(_length));
            _length += bytes.Length;
        }

        public void Finish()
        {
            Flush();
            Span<byte> trailer = stackalloc byte[sizeof(uint)];
            BinaryPrimitives.WriteUInt32LittleEndian(trailer, _crc);
            destination.Write(trailer);
            destination.Flush();
        }

        private Span<byte> Reserve(int size)
        {
            if (_buffer.Length - _length < size)
            {
                Flush();
            }

            return _buffer.AsSpan(_length, size);
        }

        private void Flush()
        {
            if (_length == 0)
            {
                return;
            }

            var chunk = _buffer.AsSpan(0, _length);
            _crc = Crc32C.Append(_crc, chunk);
            destination.Write(chunk);
            _length = 0;
        }
    }

    /// <summary>Reads exactly what the format asks for (never past the snapshot's end) and checksums it.</summary>
    private sealed class Reader(Stream source)
    {
        private readonly byte[] _scratch = new byte[sizeof(long)];
        private uint _crc;

        public uint Checksum => _crc;

        public void ReadExactly(Span<byte> destination)
        {
            source.ReadExactly(destination);
            _crc = Crc32C.Append(_crc, destination);
        }

        public byte ReadByte()
        {
            ReadExactly(_scratch.AsSpan(0, 1));
            return _scratch[0];
        }

        public uint ReadUInt32()
        {
            ReadExactly(_scratch.AsSpan(0, sizeof(uint)));
            return BinaryPrimitives.ReadUInt32LittleEndian(_scratch);
        }

        /// <summary>Reads the trailing checksum, which is not part of what it covers.</summary>
        public uint ReadUInt32Unchecked()
        {
            source.ReadExactly(_scratch.AsSpan(0, sizeof(uint)));
            return BinaryPrimitives.ReadUInt32LittleEndian(_scratch);
        }

        public long ReadInt64()
        {
            ReadExactly(_scratch.AsSpan(0, sizeof(long)));
            return BinaryPrimitives.ReadInt64LittleEndian(_scratch);
        }

        public byte[] ReadBlob()
        {
            var length = ReadUInt32();
            if (length > Array.MaxLength || (source.CanSeek && length > source.Length - source.Position))
            {
                throw Corrupt($"a length of {length} bytes runs past the end of the data");
            }

            if (length == 0)
            {
                return [];
            }

            var bytes = new byte[length];
            ReadExactly(bytes);
            return bytes;
        }
    }
}
