using ActorStore.Robustness.History;

namespace ActorStore.Robustness.Checking;

/// <summary>
/// etcd's KV as a sequential specification. Writes that change something take the next revision; reads and writes
/// that change nothing answer the current one. A read's kvs, a put's or delete's prev, deleted, succeeded and the
/// revision must all be what the model says.
/// </summary>
internal static class KvModel
{
    /// <summary>
    /// The state after <paramref name="op"/>, or null when its recorded response is not what the model answers
    /// (checked only when <paramref name="checkResponse"/>: an unknown outcome accepts any). A read or a write that
    /// changes nothing returns <paramref name="state"/> itself.
    /// </summary>
    public static ModelState? Apply(ModelState state, OperationRecord op, bool checkResponse)
    {
        var current = state.Revision;
        var next = current + 1;
        switch (op.Type)
        {
            case OperationType.Get:
                var kv = state.Get(op.Key);
                return !checkResponse || (op.Revision == current && SameKvs(op.Kvs, kv is null ? [] : [kv])) ? state : null;
            case OperationType.Range:
                return !checkResponse || (op.Revision == current && SameKvs(op.Kvs, state.Range(op.Key))) ? state : null;
            case OperationType.Put:
                return !checkResponse || (op.Revision == next && op.Prev == state.Get(op.Key)) ? state.Put(op.Value, op.Key) : null;
            case OperationType.Delete:
                var old = state.Get(op.Key);
                if (old is null)
                {
                    return !checkResponse || (op.Revision == current && op.Deleted == 0 && op.Prev is null) ? state : null;
                }
                return !checkResponse || (op.Revision == next && op.Deleted == 1 && op.Prev == old) ? state.Delete(op.Key) : null;
            case OperationType.Cas:
                // A Value compare on a missing key fails in etcd, whatever it expects.
                return Conditional(state, op, checkResponse, state.Get(op.Key) is { } found && found.Value == op.Expect);
            case OperationType.Create:
                return Conditional(state, op, checkResponse, state.Get(op.Key) is null);
            case OperationType.Txn2:
                if (op.Key == op.Key2)
                {
                    return null; // etcd refuses a txn that puts one key twice
                }
                return !checkResponse || (op.Revision == next && op.Succeeded) ? state.Put(op.Value, op.Key, op.Key2) : null;
            default:
                throw new ArgumentOutOfRangeException(nameof(op), op.Type, "unknown operation type");
        }
    }

    /// <summary>The response the model gives <paramref name="op"/> in <paramref name="state"/>, worded like a recorded one.</summary>
    public static string Answer(ModelState state, OperationRecord op)
    {
        var current = state.Revision;
        var answered = op with { Ok = true, Revision = current, Kvs = [], Prev = null, Succeeded = false, Deleted = 0 };
        answered = op.Type switch
        {
            OperationType.Get => answered with { Kvs = state.Get(op.Key) is { } kv ? [kv] : [] },
            OperationType.Range => answered with { Kvs = state.Range(op.Key).ToArray() },
            OperationType.Put => answered with { Revision = current + 1, Prev = state.Get(op.Key) },
            OperationType.Delete when state.Get(op.Key) is { } old => answered with { Revision = current + 1, Deleted = 1, Prev = old },
            OperationType.Cas or OperationType.Create or OperationType.Txn2 when Apply(state, op, checkResponse: false) is { } after && after != state =>
                answered with { Revision = current + 1, Succeeded = true },
            _ => answered,
        };
        return answered.Response;
    }

    /// <summary>
    /// The store revision <paramref name="op"/> must find when it is applied, judging by its own response:
    /// one before the answered revision when it changed something, the answered revision otherwise.
    /// </summary>
    public static long RevisionBefore(OperationRecord op) => op.IsAcknowledgedChange ? op.Revision - 1 : op.Revision;

    private static ModelState? Conditional(ModelState state, OperationRecord op, bool checkResponse, bool holds)
    {
        if (holds)
        {
            return !checkResponse || (op.Succeeded && op.Revision == state.Revision + 1) ? state.Put(op.Value, op.Key) : null;
        }
        return !checkResponse || (!op.Succeeded && op.Revision == state.Revision) ? state : null;
    }

    private static bool SameKvs(IReadOnlyList<KeyValueRecord> recorded, IEnumerable<KeyValueRecord> model)
    {
        var index = 0;
        foreach (var kv in model)
        {
            if (index >= recorded.Count || recorded[index] != kv)
            {
                return false;
            }
            index++;
        }
        return index == recorded.Count;
    }
}
