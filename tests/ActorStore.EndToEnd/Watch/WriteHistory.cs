using Google.Protobuf;
using Mvccpb;

namespace ActorStore.EndToEnd.Watch;

/// <summary>
/// The ground truth a watcher is checked against: every change of the keys in one range over revisions
/// [FirstRevision, LastRevision], as events with the previous key-value each replaced (null for a new key).
/// A put's event carries the key-value as stored; a delete's carries only the key and the deleting revision, as etcd's do.
/// </summary>
public sealed class WriteHistory
{
    private readonly SortedDictionary<long, List<Event>> _byRevision = [];

    public WriteHistory(long firstRevision, long lastRevision, IEnumerable<Event> events)
    {
        FirstRevision = firstRevision;
        LastRevision = lastRevision;
        foreach (var e in events)
        {
            var revision = e.Kv.ModRevision;
            if (revision < firstRevision || revision > lastRevision)
            {
                throw new ArgumentException($"event at {revision} outside [{firstRevision}, {lastRevision}]");
            }
            if (!_byRevision.TryGetValue(revision, out var list))
            {
                _byRevision[revision] = list = [];
            }
            list.Add(e);
        }
    }

    public long FirstRevision { get; }
    public long LastRevision { get; }

    public IEnumerable<Event> Events => _byRevision.Values.SelectMany(list => list);

    public IReadOnlyList<Event> EventsAt(long revision) =>
        _byRevision.TryGetValue(revision, out var list) ? list : [];

    public Event? Find(long revision, string key) =>
        EventsAt(revision).FirstOrDefault(e => e.Kv.Key.ToStringUtf8() == key);

    /// <summary>
    /// Derives the history from the full state of the range at each revision from <paramref name="baseRevision"/> on:
    /// a key whose mod revision is r was put at r; a key present at r-1 and gone at r was deleted at r. etcd refuses
    /// two changes of one key in one txn, so this is exact.
    /// </summary>
    public static WriteHistory FromStates(long baseRevision, IReadOnlyList<IReadOnlyList<KeyValue>> statesFromBase)
    {
        var events = new List<Event>();
        var previous = statesFromBase[0].ToDictionary(kv => kv.Key);
        for (var i = 1; i < statesFromBase.Count; i++)
        {
            var revision = baseRevision + i;
            var current = statesFromBase[i].ToDictionary(kv => kv.Key);
            foreach (var kv in statesFromBase[i].Where(kv => kv.ModRevision == revision))
            {
                events.Add(new Event { Type = Event.Types.EventType.Put, Kv = kv, PrevKv = previous.GetValueOrDefault(kv.Key) });
            }
            foreach (var (key, kv) in previous.Where(pair => !current.ContainsKey(pair.Key)))
            {
                events.Add(new Event
                {
                    Type = Event.Types.EventType.Delete,
                    Kv = new KeyValue { Key = key, ModRevision = revision },
                    PrevKv = kv,
                });
            }
            previous = current;
        }
        return new WriteHistory(baseRevision + 1, baseRevision + statesFromBase.Count - 1, events);
    }

    public static ByteString Bytes(string text) => ByteString.CopyFromUtf8(text);
}
