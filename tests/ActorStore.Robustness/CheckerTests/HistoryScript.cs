using ActorStore.Robustness.History;

namespace ActorStore.Robustness.CheckerTests;

/// <summary>
/// Writes a run by hand: operations take effect in the order they are scripted (the linearization), at the call and
/// return times given, so overlapping times make them concurrent. Build adds the states at every revision, a faithful
/// watcher per member and the final line. Values are "c{client}-{id}", unique as the workload's are.
/// </summary>
internal sealed class HistoryScript(params string[] members)
{
    private readonly SimulatedStore _store = new();
    private readonly List<OperationRecord> _operations = [];
    private readonly Dictionary<int, long> _lastId = [];

    public OperationRecord Put(int client, string key, long call, long @return) => Acknowledged(Request(client, OperationType.Put, key, call, @return));

    public OperationRecord Get(int client, string key, long call, long @return) => Acknowledged(Request(client, OperationType.Get, key, call, @return));

    public OperationRecord Range(int client, long call, long @return) =>
        Acknowledged(Request(client, OperationType.Range, RecordedRun.KeyPrefix, call, @return));

    public OperationRecord Delete(int client, string key, long call, long @return) => Acknowledged(Request(client, OperationType.Delete, key, call, @return));

    public OperationRecord Cas(int client, string key, string expect, long call, long @return) =>
        Acknowledged(Request(client, OperationType.Cas, key, call, @return) with { Expect = expect });

    public OperationRecord Create(int client, string key, long call, long @return) => Acknowledged(Request(client, OperationType.Create, key, call, @return));

    public OperationRecord Txn2(int client, string key, string key2, long call, long @return) =>
        Acknowledged(Request(client, OperationType.Txn2, key, call, @return) with { Key2 = key2 });

    /// <summary>A write whose call failed; it takes effect here (in script order) when <paramref name="applied"/>, else never.</summary>
    public OperationRecord FailedWrite(OperationRecord request, bool applied)
    {
        if (applied)
        {
            _store.Perform(request);
        }
        var failed = request with { Ok = false, Error = "context deadline exceeded" };
        _operations.Add(failed);
        return failed;
    }

    /// <summary>The request of an operation, for <see cref="FailedWrite"/>.</summary>
    public OperationRecord Request(int client, OperationType type, string key, long call, long @return)
    {
        var id = _lastId[client] = _lastId.GetValueOrDefault(client) + 1;
        return new OperationRecord
        {
            Client = client, Id = id, Type = type, Key = key, Value = type is OperationType.Get or OperationType.Range or OperationType.Delete ? "" : $"c{client}-{id}",
            Call = call, Return = @return, Ok = false,
        };
    }

    /// <summary>The store applies <paramref name="write"/> again on its own, as a retried proposal might.</summary>
    public void ApplyAgainWithoutRequest(OperationRecord write) => _store.Perform(write);

    public RecordedRun Build()
    {
        var watchResponses = members.SelectMany(member => _store.EventsByRevision.Select(events => new WatchResponseRecord(member, 0, 1, events))).ToArray();
        var watchEnds = members.Select(member => new WatchEndRecord(member, true, _store.Revision)).ToArray();
        // As the workload writes them: when each returns.
        var operations = _operations.OrderBy(op => op.Return).ToArray();
        return new RecordedRun(operations, watchResponses, watchEnds, _store.States, new FinalRecord(_store.Revision, operations.Length));
    }

    private OperationRecord Acknowledged(OperationRecord request)
    {
        var served = _store.Perform(request);
        _operations.Add(served);
        return served;
    }
}
