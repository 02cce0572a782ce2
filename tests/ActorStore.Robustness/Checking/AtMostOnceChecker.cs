using ActorStore.Robustness.History;

namespace ActorStore.Robustness.Checking;

/// <summary>
/// Judges the writes by the ground truth (the keyspace at every revision). Every value is sent by one request, so it
/// may be newly written (a kv with mod_revision equal to the state's revision) at one revision at most; a txn2 putting it
/// to two keys at one revision is one application. Every acknowledged write must be at exactly the revision its
/// response named: puts and successful cas, create and txn2 with their value, deletes with their key gone.
/// </summary>
public static class AtMostOnceChecker
{
    public static IReadOnlyList<AtMostOnceViolation> Check(RecordedRun run)
    {
        var violations = new List<AtMostOnceViolation>();
        var states = new Dictionary<long, StateRecord>();
        foreach (var state in run.States)
        {
            states.TryAdd(state.Revision, state);
        }
        var writers = run.Operations
            .Where(op => op.Type is OperationType.Put or OperationType.Cas or OperationType.Create or OperationType.Txn2)
            .ToLookup(op => op.Value, StringComparer.Ordinal);

        // Value -> the revisions at which it was newly written, and one key it was written to there.
        var applications = new Dictionary<string, SortedDictionary<long, string>>(StringComparer.Ordinal);
        foreach (var state in states.Values)
        {
            foreach (var kv in state.Kvs.Where(kv => kv.ModRevision == state.Revision))
            {
                if (!applications.TryGetValue(kv.Value, out var revisions))
                {
                    applications[kv.Value] = revisions = [];
                }
                revisions.TryAdd(state.Revision, kv.Key);
            }
        }

        foreach (var (value, revisions) in applications.OrderBy(pair => pair.Value.Keys.First()))
        {
            var at = string.Join(", ", revisions.Select(pair => $"{pair.Key} ({pair.Value})"));
            if (!writers.Contains(value))
            {
                violations.Add(new AtMostOnceViolation(AtMostOnceViolationKind.WrittenByNoOperation, value, revisions.Keys.ToArray(),
                    $"The value \"{value}\" was written at revision {at}, but no operation sent it."));
            }
            else if (revisions.Count > 1)
            {
                violations.Add(new AtMostOnceViolation(AtMostOnceViolationKind.AppliedMoreThanOnce, value, revisions.Keys.ToArray(),
                    $"The value \"{value}\" was applied {revisions.Count} times, at revisions {at}; it was sent once, by " +
                    $"{string.Join(" and ", writers[value])}."));
            }
        }

        foreach (var op in run.Operations.Where(op => op.IsAcknowledgedChange))
        {
            if (MissingFrom(op, states) is { } why)
            {
                var elsewhere = applications.TryGetValue(op.Value, out var revisions) && op.Type != OperationType.Delete
                    ? $"; its value was applied at revision {string.Join(", ", revisions.Keys)}"
                    : op.Type == OperationType.Delete ? "" : "; its value is at no recorded revision";
                violations.Add(new AtMostOnceViolation(AtMostOnceViolationKind.AcknowledgedWriteMissing, op.Value, [op.Revision],
                    $"The acknowledged write {op} is not at revision {op.Revision}: {why}{elsewhere}."));
            }
        }
        return violations;
    }

    /// <summary>Why the acknowledged write is not in the ground truth at the revision it named, or null when it is.</summary>
    private static string? MissingFrom(OperationRecord op, IReadOnlyDictionary<long, StateRecord> states)
    {
        if (!states.TryGetValue(op.Revision, out var state))
        {
            return $"no state was recorded at revision {op.Revision}";
        }
        if (op.Type == OperationType.Delete)
        {
            if (state.Kvs.Any(kv => kv.Key == op.Key))
            {
                return $"{op.Key} is still there";
            }
            return states.TryGetValue(op.Revision - 1, out var before) && before.Kvs.All(kv => kv.Key != op.Key)
                ? $"{op.Key} was already gone at revision {op.Revision - 1}"
                : null;
        }
        var keys = op.Type == OperationType.Txn2 ? [op.Key, op.Key2] : new[] { op.Key };
        foreach (var key in keys)
        {
            var kv = state.Kvs.FirstOrDefault(kv => kv.Key == key);
            if (kv is null || kv.Value != op.Value || kv.ModRevision != op.Revision)
            {
                return $"{key} there is {kv?.ToString() ?? "absent"}";
            }
        }
        return null;
    }
}
