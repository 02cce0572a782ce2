using ActorStore.EndToEnd.Watch;
using ActorStore.Robustness.History;
using Etcdserverpb;
using Google.Protobuf;
using Mvccpb;

namespace ActorStore.Robustness.Checking;

/// <summary>
/// Checks each member's watcher with the end-to-end suite's <see cref="WatchHistoryChecker"/>: the records become its
/// protobuf types, and the ground truth is derived from the recorded state at every revision.
/// </summary>
public static class WatchChecks
{
    /// <summary>What every watcher of the workload asked for: the whole keyspace, with previous key-values.</summary>
    public static WatchSpec Spec { get; } = WatchSpec.Prefix(RecordedRun.KeyPrefix, prevKv: true);

    /// <summary>Needs the states to run without a gap from the first one up to the final revision (see <see cref="GroundTruth"/>).</summary>
    public static IReadOnlyList<WatchViolation> Check(RecordedRun run)
    {
        var history = GroundTruth(run);
        return WatchHistoryChecker.CheckAll(history, RecordedWatches(run, history));
    }

    /// <summary>Every change from the first recorded state on, up to the final revision (or the last state without a final line).</summary>
    public static WriteHistory GroundTruth(RecordedRun run)
    {
        var last = run.Final?.Revision ?? run.States.Select(state => state.Revision).DefaultIfEmpty(0).Max();
        var states = run.States.Where(state => state.Revision <= last).OrderBy(state => state.Revision).ToArray();
        if (states.Length == 0)
        {
            throw new ArgumentException("the run has no state records to derive the watch ground truth from", nameof(run));
        }
        for (var i = 0; i < states.Length; i++)
        {
            if (states[i].Revision != states[0].Revision + i)
            {
                throw new ArgumentException($"the state records are not one per revision: {states[i].Revision} where {states[0].Revision + i} belongs", nameof(run));
            }
        }
        return WriteHistory.FromStates(states[0].Revision,
            states.Select(state => (IReadOnlyList<Mvccpb.KeyValue>)state.Kvs.Select(ToKeyValue).ToArray()).ToArray());
    }

    /// <summary>One recorded watch per member with a watcher, its segments in order, complete as its watchend says.</summary>
    public static IReadOnlyList<RecordedWatch> RecordedWatches(RecordedRun run, WriteHistory history)
    {
        var members = run.WatchResponses.Select(response => response.Member)
            .Concat(run.WatchEnds.Select(end => end.Member))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        // A watcher that received nothing recorded no start; it was started as the others were.
        var usualStart = run.WatchResponses.Where(response => response.Segment == 0).Select(response => response.Start)
            .DefaultIfEmpty(history.FirstRevision).Min();
        var watches = new List<RecordedWatch>();
        foreach (var member in members)
        {
            var segments = run.WatchResponses.Where(response => response.Member == member)
                .GroupBy(response => response.Segment)
                .OrderBy(group => group.Key)
                .Select(group => new WatchSegment(group.First().Start, group.Select(ToResponse).ToArray()))
                .ToList();
            if (segments.Count == 0)
            {
                segments.Add(new WatchSegment(usualStart, []));
            }
            var complete = run.WatchEnds.FirstOrDefault(end => end.Member == member)?.Complete ?? false;
            watches.Add(new RecordedWatch($"watcher on {member}", Spec, segments, complete));
        }
        return watches;
    }

    public static WatchResponse ToResponse(WatchResponseRecord response)
    {
        var converted = new WatchResponse();
        converted.Events.Add(response.Events.Select(ToEvent));
        return converted;
    }

    public static Event ToEvent(WatchEventRecord e) => new()
    {
        Type = e.Type == WatchEventType.Put ? Event.Types.EventType.Put : Event.Types.EventType.Delete,
        Kv = ToKeyValue(e.Kv),
        PrevKv = e.PrevKv is null ? null : ToKeyValue(e.PrevKv),
    };

    public static Mvccpb.KeyValue ToKeyValue(KeyValueRecord kv) => new()
    {
        Key = ByteString.CopyFromUtf8(kv.Key),
        Value = ByteString.CopyFromUtf8(kv.Value),
        CreateRevision = kv.CreateRevision,
        ModRevision = kv.ModRevision,
        Version = kv.Version,
    };
}
