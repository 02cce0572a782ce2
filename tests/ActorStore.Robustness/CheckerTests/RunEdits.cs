using ActorStore.Robustness.History;

namespace ActorStore.Robustness.CheckerTests;

/// <summary>Corruptions of a good run, as the tests need them.</summary>
internal static class RunEdits
{
    public static RecordedRun Replace(this RecordedRun run, OperationRecord old, OperationRecord replacement) =>
        run with { Operations = run.Operations.Select(op => ReferenceEquals(op, old) ? replacement : op).ToArray() };

    public static RecordedRun Without(this RecordedRun run, OperationRecord removed) =>
        run with { Operations = run.Operations.Where(op => !ReferenceEquals(op, removed)).ToArray(), Final = run.Final! with { Ops = run.Final.Ops - 1 } };

    /// <summary>The member's watch responses, edited as a list.</summary>
    public static RecordedRun EditWatch(this RecordedRun run, string member, Func<List<WatchResponseRecord>, IEnumerable<WatchResponseRecord>> edit)
    {
        var others = run.WatchResponses.Where(response => response.Member != member);
        var edited = edit(run.WatchResponses.Where(response => response.Member == member).ToList());
        return run with { WatchResponses = others.Concat(edited).ToArray() };
    }

    /// <summary>The index of the member's response carrying events of <paramref name="revision"/>.</summary>
    public static int IndexOfRevision(this List<WatchResponseRecord> responses, long revision) =>
        responses.FindIndex(response => response.Events.Any(e => e.Kv.ModRevision == revision));
}
