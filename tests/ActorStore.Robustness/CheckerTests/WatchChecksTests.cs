using ActorStore.EndToEnd.Watch;
using ActorStore.Robustness.Checking;
using ActorStore.Robustness.History;
using Xunit;

namespace ActorStore.Robustness.CheckerTests;

/// <summary>
/// The members' watchers, checked by the end-to-end suite's watch checker against the recorded states: faithful ones
/// pass; a dropped, a duplicated and a reordered event are caught, and named by member.
/// </summary>
public sealed class WatchChecksTests
{
    private static readonly string[] Members = ["m1", "m2", "m3"];

    [Fact]
    public void Faithful_watchers_pass()
    {
        Assert.Empty(WatchChecks.Check(Run()));
    }

    [Fact]
    public void The_records_become_the_watch_checker_types()
    {
        var run = Run();
        var watches = WatchChecks.RecordedWatches(run, WatchChecks.GroundTruth(run));

        Assert.Equal(["watcher on m1", "watcher on m2", "watcher on m3"], watches.Select(watch => watch.Name));
        var segment = Assert.Single(watches[0].Segments);
        Assert.Equal(1, segment.StartRevision);
        Assert.True(watches[0].Complete);
        var delete = segment.Responses.SelectMany(response => response.Events).Single(e => e.Type == Mvccpb.Event.Types.EventType.Delete);
        Assert.Equal("k2", delete.Kv.Key.ToStringUtf8());
        Assert.Equal(0, delete.Kv.Version);
        Assert.Equal("c1-2", delete.PrevKv.Value.ToStringUtf8());
        Assert.Equal(3, segment.Responses.Single(response => response.Events.Count == 2).Events.Select(e => e.Kv.ModRevision).Distinct().Single());
    }

    [Fact]
    public void A_dropped_event_breaks_reliability()
    {
        var run = Run().EditWatch("m2", responses => responses.Where((_, index) => index != 1));

        var violation = Assert.Single(WatchChecks.Check(run));

        Assert.Equal(WatchGuarantee.Reliable, violation.Guarantee);
        Assert.Equal("watcher on m2", violation.Watcher);
    }

    [Fact]
    public void A_duplicated_event_breaks_uniqueness()
    {
        var run = Run().EditWatch("m1", responses =>
        {
            responses.Insert(2, responses[1]);
            return responses;
        });

        // Coming in a response of its own, the repeat also splits its revision over two responses.
        Assert.Equal([WatchGuarantee.Unique, WatchGuarantee.Atomic], Guarantees(run));
    }

    [Fact]
    public void A_reordered_event_breaks_ordering()
    {
        var run = Run().EditWatch("m3", responses =>
        {
            (responses[1], responses[2]) = (responses[2], responses[1]);
            return responses;
        });

        Assert.Equal([WatchGuarantee.Ordered], Guarantees(run));
    }

    [Fact]
    public void A_complete_watcher_that_received_nothing_missed_everything()
    {
        var run = Run().EditWatch("m1", _ => []);

        var violation = Assert.Single(WatchChecks.Check(run));

        Assert.Equal(WatchGuarantee.Reliable, violation.Guarantee);
        Assert.Contains("missed 5 events", violation.Detail);
    }

    [Fact]
    public void An_incomplete_watcher_answers_only_for_what_it_saw()
    {
        var run = Run();
        run = run.EditWatch("m1", responses => responses.Take(2)) with
        {
            WatchEnds = run.WatchEnds.Select(end => end.Member == "m1" ? end with { Complete = false } : end).ToArray(),
        };

        Assert.Empty(WatchChecks.Check(run));
    }

    [Fact]
    public void A_resumed_watcher_is_checked_segment_by_segment()
    {
        var run = Run().EditWatch("m2", responses =>
            responses.Select((response, index) => index < 2 ? response : response with { Segment = 1, Start = 4 }));
        Assert.Empty(WatchChecks.Check(run));

        var gap = Run().EditWatch("m2", responses =>
            responses.Where((_, index) => index != 2).Select((response, index) => index < 2 ? response : response with { Segment = 1, Start = 5 }));
        Assert.Contains(WatchGuarantee.Resumable, Guarantees(gap));
    }

    private static WatchGuarantee[] Guarantees(RecordedRun run) => WatchChecks.Check(run).Select(v => v.Guarantee).Distinct().ToArray();

    /// <summary>Revisions 2..5: put k1; txn2 k2 + k3; delete k2; put k1.</summary>
    private static RecordedRun Run()
    {
        var script = new HistoryScript(Members);
        script.Put(1, "k1", 0, 10);
        script.Txn2(1, "k2", "k3", 20, 30);
        script.Delete(2, "k2", 40, 50);
        script.Put(2, "k1", 60, 70);
        return script.Build();
    }
}
