using ActorStore.Robustness.History;

namespace ActorStore.Robustness.Checking;

/// <summary>
/// The key-values the known responses (and the final state) show, by the revision that wrote them. A kv seen with
/// mod_revision r is exactly what the write at revision r left under its key, so whichever operation the search
/// lets create revision r must leave it so. That ties an unknown write to the revision where its value was seen
/// and keeps every other unknown write out of it: without this the search tries each of them in each revision that
/// no known response names, and finds out only several operations later.
/// </summary>
internal sealed class ObservedWrites
{
    private readonly Dictionary<long, List<(KeyValueRecord Kv, SearchOperation Observer)>> _byRevision = [];
    private readonly Dictionary<string, HashSet<long>> _revisionsByValue = new(StringComparer.Ordinal);

    public ObservedWrites(IEnumerable<SearchOperation> operations)
    {
        foreach (var op in operations.Where(op => op.Known))
        {
            foreach (var kv in SeenBy(op.Record))
            {
                if (!_byRevision.TryGetValue(kv.ModRevision, out var seen))
                {
                    _byRevision[kv.ModRevision] = seen = [];
                }
                if (!seen.Any(s => s.Kv == kv))
                {
                    seen.Add((kv, op));
                }
                if (!_revisionsByValue.TryGetValue(kv.Value, out var revisions))
                {
                    _revisionsByValue[kv.Value] = revisions = [];
                }
                revisions.Add(kv.ModRevision);
            }
        }
    }

    /// <summary>The kvs a known response shows: a read's kvs, a put's or delete's prev.</summary>
    public static IEnumerable<KeyValueRecord> SeenBy(OperationRecord op) => op.Prev is null ? op.Kvs : op.Kvs.Append(op.Prev);

    /// <summary>The revisions at which the value was seen written.</summary>
    public IReadOnlyCollection<long> RevisionsOf(string value) => _revisionsByValue.TryGetValue(value, out var revisions) ? revisions : [];

    /// <summary>A seen kv of the revision <paramref name="after"/> has just reached that it does not hold, or null.</summary>
    public (KeyValueRecord Kv, SearchOperation Observer)? Contradicted(ModelState after)
    {
        if (_byRevision.TryGetValue(after.Revision, out var seen))
        {
            foreach (var s in seen)
            {
                if (after.Get(s.Kv.Key) != s.Kv)
                {
                    return s;
                }
            }
        }
        return null;
    }
}
