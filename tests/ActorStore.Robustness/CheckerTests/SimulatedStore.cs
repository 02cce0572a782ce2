using ActorStore.Robustness.History;

namespace ActorStore.Robustness.CheckerTests;

/// <summary>
/// A plain sequential etcd keyspace for making histories to check, written apart from the checker's model so that a
/// slip in one shows up against the other. Records the state at every revision and the watch events of each.
/// </summary>
internal sealed class SimulatedStore
{
    private readonly SortedDictionary<string, KeyValueRecord> _keys = new(StringComparer.Ordinal);
    private readonly List<StateRecord> _states = [new StateRecord(1, [])];
    private readonly List<IReadOnlyList<WatchEventRecord>> _eventsByRevision = [];

    public long Revision { get; private set; } = 1;

    public IReadOnlyList<StateRecord> States => _states;

    /// <summary>The events of each revision after the first, in order.</summary>
    public IReadOnlyList<IReadOnlyList<WatchEventRecord>> EventsByRevision => _eventsByRevision;

    public KeyValueRecord? Get(string key) => _keys.GetValueOrDefault(key);

    /// <summary>Serves <paramref name="request"/> and returns it with etcd's response filled in (Ok).</summary>
    public OperationRecord Perform(OperationRecord request)
    {
        var served = request with { Ok = true, Error = "", Revision = Revision, Kvs = [], Prev = null, Succeeded = false, Deleted = 0 };
        switch (request.Type)
        {
            case OperationType.Get:
                return served with { Kvs = Get(request.Key) is { } kv ? [kv] : [] };
            case OperationType.Range:
                return served with { Kvs = _keys.Values.Where(kv => kv.Key.StartsWith(request.Key, StringComparison.Ordinal)).ToArray() };
            case OperationType.Put:
                var prev = Get(request.Key);
                Commit((request.Key, request.Value));
                return served with { Revision = Revision, Prev = prev };
            case OperationType.Delete:
                if (Get(request.Key) is not { } deleted)
                {
                    return served;
                }
                _keys.Remove(request.Key);
                Record([new WatchEventRecord(WatchEventType.Delete, new KeyValueRecord(request.Key, "", 0, Revision + 1, 0), deleted)]);
                return served with { Revision = Revision, Deleted = 1, Prev = deleted };
            case OperationType.Cas when Get(request.Key)?.Value == request.Expect:
            case OperationType.Create when Get(request.Key) is null:
                Commit((request.Key, request.Value));
                return served with { Revision = Revision, Succeeded = true };
            case OperationType.Cas or OperationType.Create:
                return served;
            case OperationType.Txn2:
                Commit((request.Key, request.Value), (request.Key2, request.Value));
                return served with { Revision = Revision, Succeeded = true };
            default:
                throw new ArgumentOutOfRangeException(nameof(request));
        }
    }

    private void Commit(params (string Key, string Value)[] puts)
    {
        var revision = Revision + 1;
        var events = new List<WatchEventRecord>();
        foreach (var (key, value) in puts)
        {
            var old = Get(key);
            var kv = new KeyValueRecord(key, value, old?.CreateRevision ?? revision, revision, (old?.Version ?? 0) + 1);
            _keys[key] = kv;
            events.Add(new WatchEventRecord(WatchEventType.Put, kv, old));
        }
        Record(events);
    }

    private void Record(IReadOnlyList<WatchEventRecord> events)
    {
        Revision++;
        _eventsByRevision.Add(events);
        _states.Add(new StateRecord(Revision, _keys.Values.ToArray()));
    }
}
