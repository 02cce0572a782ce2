using Google.Protobuf;

namespace ActorStore.Mvcc;

/// <summary>
/// The store's write transaction: all puts and deletes made between <see cref="MvccStore.BeginWrite"/> and
/// <see cref="End"/> share one main revision (current + 1), with sub revisions in the order they were made.
/// Reads inside the transaction see its own changes. A transaction that changes nothing does not advance the revision.
/// There is one instance per store, reused for every transaction.
/// </summary>
public sealed class MvccWriteTxn
{
    private readonly MvccStore _store;
    private readonly List<RevisionRecord> _changes = [];
    private readonly List<RevisionRecord?> _previous = [];
    private readonly List<KeyIndex> _matched = [];
    private long _beginRevision;

    internal MvccWriteTxn(MvccStore store) => _store = store;

    public bool IsActive { get; private set; }

    /// <summary>The store's revision when the transaction began.</summary>
    public long BeginRevision => _beginRevision;

    public bool HasChanges => _changes.Count > 0;

    /// <summary>The revision reads inside the transaction are served at: the new revision once something changed.</summary>
    public long Revision => _changes.Count > 0 ? _beginRevision + 1 : _beginRevision;

    /// <summary>Like <see cref="MvccStore.Range"/>, but sees this transaction's own changes.</summary>
    public RangeResult Range(ReadOnlySpan<byte> key, ReadOnlySpan<byte> rangeEnd, long revision = 0, long limit = 0, bool countOnly = false)
    {
        EnsureActive();
        return _store.RangeAt(key, rangeEnd, revision, Revision, limit, countOnly);
    }

    /// <summary>Puts a key (copying key and value) and returns the transaction's revision.</summary>
    public long Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, long lease = 0) =>
        Put(key, value.IsEmpty ? ByteString.Empty : ByteString.CopyFrom(value), lease);

    /// <summary>Puts a key and returns the transaction's revision. The value is kept as given (byte strings are immutable).</summary>
    public long Put(ByteString key, ByteString value, long lease = 0) => Put(key.Span, value, lease);

    /// <summary>Deletes the key or range (same range conventions as reads) and reports how many live keys it removed.</summary>
    public DeleteResult DeleteRange(ReadOnlySpan<byte> key, ReadOnlySpan<byte> rangeEnd)
    {
        EnsureActive();
        _matched.Clear();
        _store.CollectLiveKeys(key, rangeEnd, Revision, _matched);
        if (_matched.Count == 0)
        {
            return new DeleteResult(0, Revision);
        }

        var revision = _beginRevision + 1;
        foreach (var index in _matched)
        {
            var tombstone = RevisionRecord.Tombstone(index.KeyBytes, new Revision(revision, _changes.Count));
            Record(index, tombstone, PreviousAtBegin(index));
        }

        var deleted = _matched.Count;
        _matched.Clear();
        return new DeleteResult(deleted, revision);
    }

    /// <summary>Commits: the store's revision advances when anything changed. Returns the changes (for watchers).</summary>
    public MvccChangeSet End()
    {
        EnsureActive();
        IsActive = false;
        var revision = Revision;
        if (_changes.Count == 0)
        {
            return new MvccChangeSet(revision, [], []);
        }

        var changes = new MvccChangeSet(revision, [.. _changes], [.. _previous]);
        _changes.Clear();
        _previous.Clear();
        _store.Commit(changes);
        return changes;
    }

    internal void Begin(long currentRevision)
    {
        if (IsActive)
        {
            throw new InvalidOperationException("A write transaction is already in progress.");
        }

        IsActive = true;
        _beginRevision = currentRevision;
        _changes.Clear();
        _previous.Clear();
    }

    private long Put(ReadOnlySpan<byte> key, ByteString value, long lease)
    {
        EnsureActive();
        var revision = _beginRevision + 1;
        var index = _store.Keys.GetOrAdd(key, out _);
        var current = index.Current;
        var record = RevisionRecord.Put(
            index.KeyBytes,
            new Revision(revision, _changes.Count),
            value,
            createRevision: current?.CreateRevision ?? revision,
            version: (current?.Version ?? 0) + 1,
            lease);
        Record(index, record, PreviousAtBegin(index));
        return revision;
    }

    // The key as it was before this transaction: what a watcher asking for prev_kv is shown.
    private RevisionRecord? PreviousAtBegin(KeyIndex index) =>
        index.Modified.Main <= _beginRevision ? index.Current : index.Get(_beginRevision);

    private void Record(KeyIndex index, RevisionRecord record, RevisionRecord? previous)
    {
        _store.Append(index, record);
        _changes.Add(record);
        _previous.Add(previous);
    }

    private void EnsureActive()
    {
        if (!IsActive)
        {
            throw new InvalidOperationException("The write transaction has ended; call MvccStore.BeginWrite.");
        }
    }
}
