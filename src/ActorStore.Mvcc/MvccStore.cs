using ActorStore.Persistence;
using ActorStore.Protocol.Errors;
using Google.Protobuf;
using Mvccpb;

namespace ActorStore.Mvcc;

/// <summary>
/// The multi-version key space, with etcd 3.4's semantics: every write transaction creates one main revision,
/// each key keeps its generations of versions until a compaction, and reads can go back to any retained revision.
/// Owned by a single actor: not thread-safe and never locks.
/// </summary>
public sealed class MvccStore
{
    private readonly KeyTree _keys;

    // Every retained record in revision order: etcd's revision bucket, used for hashes, history reads and snapshots.
    private readonly List<RevisionRecord> _history;
    private readonly MvccWriteTxn _writer;

    // history[.._settledUpTo] is filed in the key indexes. A write stays unsettled until this many newer ones follow it
    // (seconds of load at thousands of writes a second): by then the GC has moved it out of the young generation, and
    // filing it no longer leaves a reference from old objects to young ones (see KeyIndex).
    private const int DefaultUnsettledWrites = 1 << 16;
    private readonly int _unsettledWrites = DefaultUnsettledWrites;
    private int _settledUpTo;

    public MvccStore()
        : this(new KeyTree(), [], currentRevision: 1, compactRevision: -1)
    {
    }

    /// <summary>A store that files writes in their key indexes after <paramref name="unsettledWrites"/> newer ones (tests).</summary>
    internal MvccStore(int unsettledWrites)
        : this() => _unsettledWrites = unsettledWrites;

    private MvccStore(KeyTree keys, List<RevisionRecord> history, long currentRevision, long compactRevision)
    {
        _keys = keys;
        _history = history;
        CurrentRevision = currentRevision;
        CompactRevision = compactRevision;
        _writer = new MvccWriteTxn(this);
        _settledUpTo = history.Count;
        foreach (var record in history)
        {
            StoredBytes += StorageCost(record);
        }
    }

    /// <summary>Raised after each write transaction that changed something (not for one that changed nothing).</summary>
    public event Action<MvccChangeSet>? Committed;

    /// <summary>The revision of the last committed write; 1 for a fresh store, as in etcd.</summary>
    public long CurrentRevision { get; private set; }

    /// <summary>The revision of the last compaction; -1 when the store was never compacted, as in etcd.</summary>
    public long CompactRevision { get; private set; }

    /// <summary>Number of keys with retained history (live keys and deleted keys not yet compacted away).</summary>
    public int IndexedKeyCount => _keys.Count;

    /// <summary>Number of retained revision records (puts and tombstones).</summary>
    public int RecordCount => _history.Count;

    /// <summary>
    /// What the retained records take, by etcd's quota accounting: each one its key, its value and
    /// <see cref="RecordOverheadBytes"/> of metadata. Grows with every write and shrinks when a compaction drops records.
    /// </summary>
    public long StoredBytes { get; private set; }

    /// <summary>etcd's kvOverhead: what a stored revision's metadata is reckoned to take besides its key and value.</summary>
    public const int RecordOverheadBytes = 256;

    /// <summary>The bytes one record is charged (tombstones carry no value).</summary>
    public static long StorageCost(RevisionRecord record) => RecordOverheadBytes + record.Key.Length + record.Value.Length;

    /// <summary>A copy of the retained records in revision order (what etcd's key bucket holds), for a point-in-time snapshot.</summary>
    public RevisionRecord[] CopyRecords()
    {
        EnsureNoWrite();
        return [.. _history];
    }

    /// <summary>
    /// The store as it is now, for encoding elsewhere while writes go on: a copy of the record references (an array copy,
    /// a few milliseconds for a million records), not of the key index, which a snapshot rebuilds from the records.
    /// </summary>
    public MvccStoreImage Capture() => new(CopyRecords(), CurrentRevision, CompactRevision)
    {
        KeyOrder = _keys.CopyInOrder(),
        RecordBytes = StoredBytes - (long)_history.Count * RecordOverheadBytes,
    };

    internal KeyTree Keys => _keys;

    internal List<RevisionRecord> History => _history;

    /// <summary>
    /// Reads keys at <paramref name="revision"/> (0 or less: the current revision). An empty <paramref name="rangeEnd"/>
    /// reads the single key, "\0" reads every key from <paramref name="key"/> on, anything else the interval [key, rangeEnd).
    /// At most <paramref name="limit"/> key-values are returned (0 or less: all); the count covers every match.
    /// </summary>
    public RangeResult Range(ReadOnlySpan<byte> key, ReadOnlySpan<byte> rangeEnd, long revision = 0, long limit = 0, bool countOnly = false) =>
        RangeAt(key, rangeEnd, revision, CurrentRevision, limit, countOnly);

    /// <summary>Starts the write transaction; everything it does gets one new main revision, assigned by <see cref="MvccWriteTxn.End"/>.</summary>
    public MvccWriteTxn BeginWrite()
    {
        _writer.Begin(CurrentRevision);
        return _writer;
    }

    /// <summary>Puts one key in its own transaction and returns the new revision.</summary>
    public long Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, long lease = 0)
    {
        var txn = BeginWrite();
        var revision = txn.Put(key, value, lease);
        txn.End();
        return revision;
    }

    /// <summary>Deletes a key or range in its own transaction.</summary>
    public DeleteResult DeleteRange(ReadOnlySpan<byte> key, ReadOnlySpan<byte> rangeEnd)
    {
        var txn = BeginWrite();
        var result = txn.DeleteRange(key, rangeEnd);
        txn.End();
        return result;
    }

    /// <summary>
    /// Discards history before <paramref name="revision"/>: for each key only the newest version at or before it survives,
    /// and not even that when it is a deletion. Fails like etcd: already compacted there, or a future revision.
    /// </summary>
    public void Compact(long revision)
    {
        EnsureNoWrite();
        if (revision <= CompactRevision)
        {
            throw EtcdErrors.Compacted;
        }

        if (revision > CurrentRevision)
        {
            throw EtcdErrors.FutureRev;
        }

        CompactRevision = revision;
        SettleAll();

        List<KeyIndex>? emptied = null;
        var cursor = _keys.First();
        while (cursor.MoveNext())
        {
            var index = cursor.Current;
            index.Compact(revision);
            if (index.IsEmpty)
            {
                (emptied ??= []).Add(index);
            }
        }

        if (emptied is not null)
        {
            foreach (var index in emptied)
            {
                _keys.Remove(index.Key);
            }
        }

        RemoveDroppedHistory(revision);
    }

    /// <summary>
    /// etcd's HashKV: a CRC-32C (Castagnoli) over the stored revisions up to <paramref name="revision"/> (0: current),
    /// where revisions at or before the compaction count only if a compaction at <paramref name="revision"/> would keep them.
    /// </summary>
    public HashKVResult HashKV(long revision)
    {
        EnsureNoWrite();
        var compactRevision = CompactRevision;
        var currentRevision = CurrentRevision;
        if (revision > 0 && revision <= compactRevision)
        {
            throw EtcdErrors.Compacted;
        }

        if (revision > 0 && revision > currentRevision)
        {
            throw EtcdErrors.FutureRev;
        }

        if (revision == 0)
        {
            revision = currentRevision;
        }

        SettleAll();
        var keep = new HashSet<Revision>();
        var cursor = _keys.First();
        while (cursor.MoveNext())
        {
            if (cursor.Current.KeptAt(revision) is { } kept)
            {
                keep.Add(kept.Revision);
            }
        }

        uint crc = 0;
        crc = Crc32C.Append(crc, "key"u8);
        var hasher = new RecordHasher();
        foreach (var record in _history)
        {
            var main = record.Revision.Main;
            if (main > revision)
            {
                break;
            }

            if (main <= compactRevision && keep.Count > 0 && !keep.Contains(record.Revision))
            {
                continue;
            }

            hasher.Append(ref crc, record);
        }

        return new HashKVResult(crc, compactRevision, currentRevision);
    }

    /// <summary>
    /// A checksum of the whole retained state (every stored revision, the compaction and current revisions).
    /// Our own definition: equal states give equal hashes, on any member.
    /// </summary>
    public uint Hash()
    {
        EnsureNoWrite();
        uint crc = 0;
        crc = Crc32C.Append(crc, "key"u8);
        var hasher = new RecordHasher();
        foreach (var record in _history)
        {
            hasher.Append(ref crc, record);
        }

        Span<byte> meta = stackalloc byte[2 * Revision.EncodedLength];
        new Revision(CompactRevision, 0).Encode(meta, tombstone: false);
        new Revision(CurrentRevision, 0).Encode(meta[Revision.EncodedLength..], tombstone: false);
        crc = Crc32C.Append(crc, "meta"u8);
        crc = Crc32C.Append(crc, meta);
        return crc;
    }

    /// <summary>
    /// The changes with main revision in [<paramref name="fromRevision"/>, <paramref name="toRevision"/>], as watch events
    /// in revision order (what a watcher catching up from history receives). Fails with Compacted when
    /// <paramref name="fromRevision"/> is before the compaction revision.
    /// </summary>
    public List<Event> ReadEvents(long fromRevision, long toRevision, bool withPrevKv = false, int maxEvents = int.MaxValue)
    {
        if (fromRevision < CompactRevision)
        {
            throw EtcdErrors.Compacted;
        }

        var events = new List<Event>();
        for (var i = FirstHistoryIndexAtOrAfter(fromRevision); i < _history.Count && events.Count < maxEvents; i++)
        {
            var record = _history[i];
            if (record.Revision.Main > toRevision)
            {
                break;
            }

            var evt = new Event
            {
                Type = record.IsTombstone ? Event.Types.EventType.Delete : Event.Types.EventType.Put,
                Kv = record.ToEventKeyValue(),
            };
            var creates = !record.IsTombstone && record.CreateRevision == record.Revision.Main;
            if (withPrevKv && !creates && record.Revision.Main - 1 >= CompactRevision)
            {
                evt.PrevKv = _keys.Get(record.Key.Span)?.Get(record.Revision.Main - 1)?.ToKeyValue();
            }

            events.Add(evt);
        }

        return events;
    }

    /// <summary>Writes the whole state (every retained revision, the compaction and current revisions) in a deterministic binary format.</summary>
    public void WriteSnapshot(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        Capture().WriteSnapshot(destination);
    }

    /// <summary>Reads a snapshot written by <see cref="WriteSnapshot"/>; throws <see cref="InvalidDataException"/> when it is not valid.</summary>
    public static MvccStore ReadSnapshot(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return MvccSnapshotFormat.Read(source);
    }

    /// <summary>
    /// A store holding <paramref name="records"/> (in revision order, as etcd's key bucket lists them) at
    /// <paramref name="currentRevision"/>, compacted at <paramref name="compactRevision"/> (-1: never); what a restored
    /// etcd snapshot becomes. Throws <see cref="InvalidDataException"/> for records that cannot be etcd's history.
    /// </summary>
    public static MvccStore FromRecords(IEnumerable<RevisionRecord> records, long currentRevision, long compactRevision)
    {
        ArgumentNullException.ThrowIfNull(records);
        // Straight into the store's own tree: no second ordered map, and a key is copied only when first seen.
        var keys = new KeyTree();
        var history = records.TryGetNonEnumeratedCount(out var count) ? new List<RevisionRecord>(count) : new List<RevisionRecord>();
        foreach (var record in records)
        {
            if (history.Count > 0 && record.Revision <= history[^1].Revision)
            {
                throw new InvalidDataException($"revision {record.Revision} comes after {history[^1].Revision}");
            }

            if (record.Revision.Main > currentRevision)
            {
                throw new InvalidDataException($"revision {record.Revision} is after the current revision {currentRevision}");
            }

            var index = keys.GetOrAdd(record.Key.Span, out _);

            try
            {
                if (record.IsTombstone)
                {
                    index.Tombstone(record);
                }
                else
                {
                    index.Put(record);
                }
            }
            catch (InvalidOperationException e)
            {
                throw new InvalidDataException($"key history at revision {record.Revision}: {e.Message}", e);
            }

            history.Add(record);
        }

        return new MvccStore(keys, history, Math.Max(1, currentRevision), compactRevision);
    }

    internal static MvccStore FromSnapshot(KeyTree keys, List<RevisionRecord> history, long currentRevision, long compactRevision) =>
        new(keys, history, currentRevision, compactRevision);

    internal RangeResult RangeAt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> rangeEnd, long revision, long currentRevision, long limit, bool countOnly)
    {
        if (revision > currentRevision)
        {
            throw EtcdErrors.FutureRev;
        }

        if (revision <= 0)
        {
            revision = currentRevision;
        }

        if (revision < CompactRevision)
        {
            throw EtcdErrors.Compacted;
        }

        if (rangeEnd.IsEmpty)
        {
            var found = _keys.Get(key)?.Get(revision);
            if (found is null)
            {
                return new RangeResult([], 0, currentRevision);
            }

            return new RangeResult(countOnly ? [] : [found.ToKeyValue()], 1, currentRevision);
        }

        List<KeyValue>? kvs = null;
        long count = 0;
        var toEnd = IsFromKey(rangeEnd);
        var cursor = _keys.Seek(key);
        while (cursor.MoveNext())
        {
            var index = cursor.Current;
            if (!toEnd && index.Key.AsSpan().SequenceCompareTo(rangeEnd) >= 0)
            {
                break;
            }

            var record = index.Get(revision);
            if (record is null)
            {
                continue;
            }

            count++;
            if (!countOnly && (limit <= 0 || count <= limit))
            {
                (kvs ??= []).Add(record.ToKeyValue());
            }
        }

        return new RangeResult(kvs is null ? [] : kvs, count, currentRevision);
    }

    /// <summary>Collects the keys in the range that are live at <paramref name="revision"/>, in key order.</summary>
    internal void CollectLiveKeys(ReadOnlySpan<byte> key, ReadOnlySpan<byte> rangeEnd, long revision, List<KeyIndex> into)
    {
        if (rangeEnd.IsEmpty)
        {
            if (_keys.Get(key) is { } single && single.Get(revision) is not null)
            {
                into.Add(single);
            }

            return;
        }

        var toEnd = IsFromKey(rangeEnd);
        var cursor = _keys.Seek(key);
        while (cursor.MoveNext())
        {
            var index = cursor.Current;
            if (!toEnd && index.Key.AsSpan().SequenceCompareTo(rangeEnd) >= 0)
            {
                break;
            }

            if (index.Get(revision) is not null)
            {
                into.Add(index);
            }
        }
    }

    /// <summary>Appends a write of the open transaction to the history and to its key's index (unsettled).</summary>
    internal void Append(KeyIndex index, RevisionRecord record)
    {
        index.PutUnsettled(record, this, _history.Count);
        _history.Add(record);
        StoredBytes += StorageCost(record);
        if (_history.Count - _settledUpTo > _unsettledWrites)
        {
            SettleOldest();
        }
    }

    /// <summary>Files every unsettled write in its key index: what reads of older revisions and compactions need.</summary>
    internal void SettleAll()
    {
        while (_settledUpTo < _history.Count)
        {
            SettleOldest();
        }
    }

    private void SettleOldest()
    {
        var record = _history[_settledUpTo++];
        record.UnsettledOwner?.Settle(record);
    }

    internal void Commit(MvccChangeSet changes)
    {
        CurrentRevision = changes.Revision;
        Committed?.Invoke(changes);
    }

    private static bool IsFromKey(ReadOnlySpan<byte> rangeEnd) => rangeEnd.Length == 1 && rangeEnd[0] == 0;

    private void EnsureNoWrite()
    {
        if (_writer.IsActive)
        {
            throw new InvalidOperationException("A write transaction is in progress; end it first.");
        }
    }

    private int FirstHistoryIndexAtOrAfter(long revision)
    {
        int low = 0, high = _history.Count - 1;
        while (low <= high)
        {
            var middle = (int)((uint)(low + high) >> 1);
            if (_history[middle].Revision.Main < revision)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return low;
    }

    // Compaction only drops records at or before its revision, so only that prefix of the history is rewritten.
    private void RemoveDroppedHistory(long revision)
    {
        var end = FirstHistoryIndexAtOrAfter(revision + 1);
        var kept = 0;
        for (var i = 0; i < end; i++)
        {
            var record = _history[i];
            if (!record.Dropped)
            {
                _history[kept++] = record;
            }
            else
            {
                StoredBytes -= StorageCost(record);
            }
        }

        _history.RemoveRange(kept, end - kept);
        _settledUpTo = _history.Count;
    }

    /// <summary>Feeds stored records to a checksum as etcd lays them out: the revision key, then the KeyValue bytes.</summary>
    private struct RecordHasher
    {
        private byte[]? _buffer;

        public void Append(ref uint crc, RevisionRecord record)
        {
            var needed = Revision.EncodedTombstoneLength + KeyValueEncoding.MaxLength(record);
            if (_buffer is null || _buffer.Length < needed)
            {
                _buffer = new byte[Math.Max(needed, 256)];
            }

            var span = _buffer.AsSpan();
            var written = record.Revision.Encode(span, record.IsTombstone);
            written += KeyValueEncoding.Write(record, span[written..]);
            crc = Crc32C.Append(crc, span[..written]);
        }
    }
}
