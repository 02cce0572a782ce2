using ActorStore.Robustness.History;

namespace ActorStore.Robustness.Checking;

/// <summary>
/// Which unknown writes the store's own record of every revision credits with each revision: those that sent the
/// value first seen there, or that delete a key gone there. The search tries them first; they are hints only.
/// </summary>
internal static class SearchHints
{
    public static IReadOnlyDictionary<long, IReadOnlyList<int>> FromStates(IReadOnlyList<SearchOperation> searched, IReadOnlyList<StateRecord> states)
    {
        var hints = new Dictionary<long, IReadOnlyList<int>>();
        var unknown = searched.Where(op => !op.Known).OrderBy(op => op.Call).ToArray();
        var sendersOf = unknown.Where(op => op.Record.Type != OperationType.Delete).ToLookup(op => op.Record.Value, StringComparer.Ordinal);
        var deletersOf = unknown.Where(op => op.Record.Type == OperationType.Delete).ToLookup(op => op.Record.Key, StringComparer.Ordinal);
        StateRecord? previous = null;
        foreach (var state in states.OrderBy(state => state.Revision))
        {
            var revision = state.Revision;
            var written = state.Kvs.Where(kv => kv.ModRevision == revision).SelectMany(kv => sendersOf[kv.Value]);
            var deleted = previous?.Revision == revision - 1
                ? previous.Kvs.Where(kv => state.Kvs.All(now => now.Key != kv.Key)).SelectMany(kv => deletersOf[kv.Key])
                : [];
            var writers = written.Concat(deleted).Select(op => op.Index).Distinct().ToArray();
            if (writers.Length > 0)
            {
                hints[revision] = writers;
            }
            previous = state;
        }
        return hints;
    }
}
