using Google.Protobuf;
using Mvccpb;

namespace ActorStore.Mvcc;

/// <summary>
/// The changes one write transaction committed, all at <see cref="Revision"/>, in the order they were made.
/// Watch events are only built when someone asks for them.
/// </summary>
public sealed class MvccChangeSet
{
    private readonly RevisionRecord[] _records;
    private readonly RevisionRecord?[] _previous;
    private IReadOnlyList<Event>? _events;

    internal MvccChangeSet(long revision, RevisionRecord[] records, RevisionRecord?[] previous)
    {
        Revision = revision;
        _records = records;
        _previous = previous;
    }

    /// <summary>The revision of every change in the set; the store's revision after the transaction.</summary>
    public long Revision { get; }

    public int Count => _records.Length;

    /// <summary>
    /// One event per change, with the previous key-value (the key as it was before this transaction) when there was one.
    /// The list is shared: treat the events as read-only and use <see cref="CreateEvent"/> for a copy to modify.
    /// </summary>
    public IReadOnlyList<Event> Events => _events ??= BuildEvents();

    /// <summary>
    /// The key of the change at <paramref name="index"/>, the lease it was attached to before the transaction and the lease
    /// it is attached to after it (0 for none, and after a delete).
    /// </summary>
    public (ByteString Key, long PreviousLease, long Lease) LeaseChangeAt(int index)
    {
        var record = _records[index];
        var previous = _previous[index];
        return (record.Key, previous is { IsTombstone: false } ? previous.Lease : 0, record.IsTombstone ? 0 : record.Lease);
    }

    /// <summary>A fresh event for the change at <paramref name="index"/>.</summary>
    public Event CreateEvent(int index, bool withPrevKv)
    {
        var record = _records[index];
        // Like etcd's watch, an event that creates the key has no previous key-value.
        var creates = !record.IsTombstone && record.CreateRevision == record.Revision.Main;
        var previous = withPrevKv && !creates ? _previous[index] : null;
        return new Event
        {
            Type = record.IsTombstone ? Event.Types.EventType.Delete : Event.Types.EventType.Put,
            Kv = record.ToEventKeyValue(),
            PrevKv = previous?.ToKeyValue(),
        };
    }

    private Event[] BuildEvents()
    {
        var events = new Event[_records.Length];
        for (var i = 0; i < events.Length; i++)
        {
            events[i] = CreateEvent(i, withPrevKv: true);
        }

        return events;
    }
}
