using Etcdserverpb;
using Mvccpb;

namespace ActorStore.Server.Kv;

/// <summary>The revision filters and sort orders of a range request.</summary>
internal static class RangeOrdering
{
    /// <summary>Drops key-values outside the request's min/max mod and create revisions (0 means no bound).</summary>
    public static IReadOnlyList<KeyValue> Filter(IReadOnlyList<KeyValue> kvs, RangeRequest request)
    {
        if (request.MinModRevision == 0 && request.MaxModRevision == 0
            && request.MinCreateRevision == 0 && request.MaxCreateRevision == 0)
        {
            return kvs;
        }

        var kept = new List<KeyValue>(kvs.Count);
        foreach (var kv in kvs)
        {
            if ((request.MaxModRevision != 0 && kv.ModRevision > request.MaxModRevision)
                || (request.MinModRevision != 0 && kv.ModRevision < request.MinModRevision)
                || (request.MaxCreateRevision != 0 && kv.CreateRevision > request.MaxCreateRevision)
                || (request.MinCreateRevision != 0 && kv.CreateRevision < request.MinCreateRevision))
            {
                continue;
            }

            kept.Add(kv);
        }

        return kept;
    }

    /// <summary>
    /// Sorts by the target. Ties keep key order in both directions (the input is in key order), which is what etcd
    /// gives for up to 12 results; beyond that etcd's unstable sort may order ties differently.
    /// </summary>
    public static IReadOnlyList<KeyValue> Sort(IReadOnlyList<KeyValue> kvs, RangeRequest.Types.SortTarget target, bool descending)
    {
        var items = new KeyValue[kvs.Count];
        var positions = new int[kvs.Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = kvs[i];
            positions[i] = i;
        }

        Comparison<KeyValue> byTarget = target switch
        {
            RangeRequest.Types.SortTarget.Version => static (a, b) => a.Version.CompareTo(b.Version),
            RangeRequest.Types.SortTarget.Create => static (a, b) => a.CreateRevision.CompareTo(b.CreateRevision),
            RangeRequest.Types.SortTarget.Mod => static (a, b) => a.ModRevision.CompareTo(b.ModRevision),
            RangeRequest.Types.SortTarget.Value => static (a, b) => a.Value.Span.SequenceCompareTo(b.Value.Span),
            _ => static (a, b) => a.Key.Span.SequenceCompareTo(b.Key.Span),
        };

        Array.Sort(positions, (x, y) =>
        {
            var order = descending ? byTarget(items[y], items[x]) : byTarget(items[x], items[y]);
            return order != 0 ? order : x.CompareTo(y);
        });

        var sorted = new KeyValue[items.Length];
        for (var i = 0; i < sorted.Length; i++)
        {
            sorted[i] = items[positions[i]];
        }

        return sorted;
    }
}
