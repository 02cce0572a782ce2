using ActorStore.Robustness.History;

namespace ActorStore.Robustness.Checking;

/// <summary>
/// Conditions every linearizable history meets, read off the revisions in O(n log n) before any search. Each failure
/// rules linearizability out by itself and names the operations that show it, which the search, having to refute
/// every order first, might take long to do. The common anomalies — a stale read, a value never written, a write
/// applied twice and seen again — fail here.
/// </summary>
internal static class NecessaryConditions
{
    /// <summary>The first broken condition, worded for a person, or null.</summary>
    public static string? FirstViolation(IReadOnlyList<SearchOperation> searched) =>
        RevisionsFollowRealTime(searched) ?? OneWritePerRevision(searched) ?? SeenWritesHaveAWriter(searched);

    /// <summary>
    /// An operation called after another returned finds the store at least at the revision that one answered:
    /// revisions never go back.
    /// </summary>
    private static string? RevisionsFollowRealTime(IReadOnlyList<SearchOperation> searched)
    {
        var known = searched.Where(op => op.Known).ToArray();
        var byReturn = known.OrderBy(op => op.Return).ToArray();
        SearchOperation? highest = null;
        var returned = 0;
        foreach (var op in known.OrderBy(op => op.Call))
        {
            // Strictly before: operations that touch are concurrent.
            for (; returned < byReturn.Length && byReturn[returned].Return < op.Call; returned++)
            {
                if (highest is null || byReturn[returned].Record.Revision > highest.Record.Revision)
                {
                    highest = byReturn[returned];
                }
            }
            if (highest is not null && highest.Record.Revision > op.RevisionBefore)
            {
                return $"{op} went back in revision: it was called after {highest} had returned, so it must find the " +
                    $"store at revision {highest.Record.Revision} or later, yet its response puts it at revision {op.RevisionBefore}.";
            }
        }
        return null;
    }

    /// <summary>Each revision is made by one write.</summary>
    private static string? OneWritePerRevision(IReadOnlyList<SearchOperation> searched)
    {
        var twice = searched.Where(op => op.Known && op.Record.IsAcknowledgedChange)
            .GroupBy(op => op.Record.Revision)
            .FirstOrDefault(writers => writers.Count() > 1);
        return twice is null ? null : $"{string.Join(" and ", twice)} each answered that it made revision {twice.Key}, which one write makes.";
    }

    /// <summary>
    /// A kv seen with mod_revision r was written at r: by the acknowledged write that answered r when there is one
    /// (not a delete, and with that key and value), else by an operation that sent its value to its key and was not
    /// acknowledged at another revision.
    /// </summary>
    private static string? SeenWritesHaveAWriter(IReadOnlyList<SearchOperation> searched)
    {
        var madeBy = searched.Where(op => op.Known && op.Record.IsAcknowledgedChange)
            .GroupBy(op => op.Record.Revision)
            .ToDictionary(writers => writers.Key, writers => writers.First());
        var senders = searched.Where(op => op.Record.IsWrite && op.Record.Type != OperationType.Delete)
            .ToLookup(op => op.Record.Value, StringComparer.Ordinal);
        foreach (var observer in searched.Where(op => op.Known))
        {
            foreach (var kv in ObservedWrites.SeenBy(observer.Record))
            {
                var seen = $"{observer} saw {kv}";
                if (madeBy.TryGetValue(kv.ModRevision, out var writer))
                {
                    if (writer.Record.Type == OperationType.Delete || !Writes(writer.Record, kv))
                    {
                        return $"{seen}, but revision {kv.ModRevision} was made by {writer}.";
                    }
                    continue;
                }
                var candidates = senders[kv.Value].Where(op => Writes(op.Record, kv)).ToArray();
                if (candidates.Length == 0)
                {
                    return $"{seen}, a value no operation sent to {kv.Key}.";
                }
                if (candidates.All(op => op.Known))
                {
                    return $"{seen}, but the value was sent only by {string.Join(" and ", candidates)}, which made another revision.";
                }
            }
        }
        return null;
    }

    private static bool Writes(OperationRecord op, KeyValueRecord kv) =>
        op.Value == kv.Value && (op.Key == kv.Key || (op.Type == OperationType.Txn2 && op.Key2 == kv.Key)) &&
        (op.Type is not (OperationType.Cas or OperationType.Create) || op.Succeeded || !op.Ok);
}
