using Etcdserverpb;
using Mvccpb;

namespace ActorStore.EndToEnd.Watch;

/// <summary>
/// Checks what watchers received against the history of writes (<see cref="WriteHistory"/>), guarantee by guarantee
/// (<see cref="WatchGuarantee"/>). Responses without events (created, progress, canceled) carry nothing to check.
/// </summary>
public static class WatchHistoryChecker
{
    public static IReadOnlyList<WatchViolation> CheckAll(WriteHistory history, IEnumerable<RecordedWatch> watches) =>
        watches.SelectMany(watch => Check(history, watch)).ToArray();

    public static IReadOnlyList<WatchViolation> Check(WriteHistory history, RecordedWatch watch)
    {
        var violations = new List<WatchViolation>();
        void Violated(WatchGuarantee guarantee, string detail) => violations.Add(new WatchViolation(guarantee, watch.Name, detail));

        var spec = watch.Spec;
        var seen = new HashSet<(long Revision, string Key)>();
        var lastRevision = 0L;
        var resumeAt = 0L;
        for (var s = 0; s < watch.Segments.Count; s++)
        {
            var segment = watch.Segments[s];
            if (s > 0 && segment.StartRevision > resumeAt)
            {
                Violated(WatchGuarantee.Resumable, $"segment {s} resumed at {segment.StartRevision}, after {resumeAt}, the revision after the last one seen");
            }
            var responsesOfRevision = new Dictionary<long, HashSet<int>>();
            var delivered = new HashSet<(long, string)>();
            var segmentLast = segment.StartRevision - 1;
            for (var r = 0; r < segment.Responses.Count; r++)
            {
                var response = segment.Responses[r];
                foreach (var e in response.Events)
                {
                    var revision = e.Kv.ModRevision;
                    var key = e.Kv.Key.ToStringUtf8();
                    var what = $"{e.Type} {key}@{revision} (segment {s}, response {r})";
                    if (revision < segment.StartRevision)
                    {
                        Violated(WatchGuarantee.Resumable, $"{what} is older than the start revision {segment.StartRevision}");
                    }
                    if (revision < lastRevision)
                    {
                        Violated(WatchGuarantee.Ordered, $"{what} came after an event at {lastRevision}");
                    }
                    if (!seen.Add((revision, key)))
                    {
                        Violated(WatchGuarantee.Unique, $"{what} came again");
                    }
                    delivered.Add((revision, key));
                    if (!responsesOfRevision.TryGetValue(revision, out var responses))
                    {
                        responsesOfRevision[revision] = responses = [];
                    }
                    responses.Add(r);
                    lastRevision = Math.Max(lastRevision, revision);
                    segmentLast = Math.Max(segmentLast, revision);
                    CheckEvent(history, spec, e, what, Violated);
                }
            }
            foreach (var (revision, responses) in responsesOfRevision.Where(pair => pair.Value.Count > 1))
            {
                Violated(WatchGuarantee.Atomic, $"the events of revision {revision} came split over responses {string.Join(", ", responses.Order())}");
            }
            resumeAt = Math.Max(segment.StartRevision, lastRevision + 1);
            // A stream is accountable up to its last event; the last one of a complete watcher up to the end of the history.
            var accountableUpTo = watch.Complete && s == watch.Segments.Count - 1 ? history.LastRevision : segmentLast;
            var missing = history.Events
                .Where(e => e.Kv.ModRevision >= segment.StartRevision && e.Kv.ModRevision <= accountableUpTo && spec.Wants(e))
                .Where(e => !delivered.Contains((e.Kv.ModRevision, e.Kv.Key.ToStringUtf8())))
                .ToArray();
            if (missing.Length > 0)
            {
                Violated(WatchGuarantee.Reliable,
                    $"segment {s} (from {segment.StartRevision}, accountable to {accountableUpTo}) missed {missing.Length} events, e.g. " +
                    string.Join("; ", missing.Take(5).Select(e => $"{e.Type} {e.Kv.Key.ToStringUtf8()}@{e.Kv.ModRevision}")));
            }
        }
        return violations;
    }

    private static void CheckEvent(WriteHistory history, WatchSpec spec, Event e, string what, Action<WatchGuarantee, string> violated)
    {
        var key = e.Kv.Key.ToStringUtf8();
        if (!spec.Covers(key))
        {
            violated(WatchGuarantee.InRange, $"{what} is outside {spec}");
        }
        if (spec.Filters(e.Type))
        {
            violated(WatchGuarantee.Filtered, $"{what} is of a type filtered out by {spec}");
        }
        if (e.Kv.ModRevision < history.FirstRevision || e.Kv.ModRevision > history.LastRevision)
        {
            return; // outside the recorded history: nothing to compare with
        }
        var truth = history.Find(e.Kv.ModRevision, key);
        if (truth is null)
        {
            violated(WatchGuarantee.Accurate, $"{what} never happened");
            return;
        }
        if (truth.Type != e.Type || !truth.Kv.Equals(e.Kv))
        {
            violated(WatchGuarantee.Accurate, $"{what} is {e.Type} {e.Kv}, the write was {truth.Type} {truth.Kv}");
        }
        var expectedPrev = spec.PrevKv ? truth.PrevKv : null;
        if (!Equals(expectedPrev, e.PrevKv))
        {
            violated(WatchGuarantee.PrevKv, $"{what} has prev_kv {e.PrevKv?.ToString() ?? "none"}, expected {expectedPrev?.ToString() ?? "none"}");
        }
    }

    /// <summary>The last revision at which <paramref name="spec"/> has an event in the history at or after <paramref name="from"/>, or 0.</summary>
    public static long LastWantedRevision(WriteHistory history, WatchSpec spec, long from) =>
        history.Events.Where(e => e.Kv.ModRevision >= from && spec.Wants(e)).Select(e => e.Kv.ModRevision).DefaultIfEmpty(0).Max();

    /// <summary>A response of events, for building recorded watches in tests.</summary>
    public static WatchResponse Response(params Event[] events)
    {
        var response = new WatchResponse();
        response.Events.Add(events);
        return response;
    }
}
