using Etcdserverpb;
using Mvccpb;
using Xunit;
using static ActorStore.EndToEnd.Watch.WriteHistory;

namespace ActorStore.EndToEnd.Watch;

/// <summary>
/// The checker itself, on made-up histories: a faithful recording passes, and each way of breaking a guarantee is
/// caught as that guarantee and no other.
/// </summary>
public sealed class WatchHistoryCheckerTests
{
    // Revisions 10..14: put k/a; txn put k/b + k/c; put k/a again; delete k/b; put z (outside k/).
    private static readonly WriteHistory History = WriteHistory.FromStates(9,
    [
        [],
        [Kv("k/a", "1", 10, 10, 1)],
        [Kv("k/a", "1", 10, 10, 1), Kv("k/b", "1", 11, 11, 1), Kv("k/c", "1", 11, 11, 1)],
        [Kv("k/a", "2", 10, 12, 2), Kv("k/b", "1", 11, 11, 1), Kv("k/c", "1", 11, 11, 1)],
        [Kv("k/a", "2", 10, 12, 2), Kv("k/c", "1", 11, 11, 1)],
        [Kv("k/a", "2", 10, 12, 2), Kv("k/c", "1", 11, 11, 1), Kv("z", "1", 14, 14, 1)],
    ]);

    private static readonly WatchSpec All = WatchSpec.Prefix("k/", prevKv: true);

    [Fact]
    public void The_history_is_derived_from_states()
    {
        Assert.Equal(10, History.FirstRevision);
        Assert.Equal(14, History.LastRevision);
        Assert.Equal(6, History.Events.Count());
        Assert.Equal(2, History.EventsAt(11).Count);
        var delete = History.Find(13, "k/b")!;
        Assert.Equal(Event.Types.EventType.Delete, delete.Type);
        Assert.Equal(new KeyValue { Key = Bytes("k/b"), ModRevision = 13 }, delete.Kv);
        Assert.Equal("1", delete.PrevKv.Value.ToStringUtf8());
        Assert.Null(History.Find(10, "k/a")!.PrevKv);
        Assert.Equal(10, History.Find(12, "k/a")!.PrevKv.ModRevision);
    }

    [Fact]
    public void A_faithful_recording_passes()
    {
        AssertViolations(Watch(All, 10, [E(10, "k/a")], [E(11, "k/b"), E(11, "k/c")], [E(12, "k/a")], [E(13, "k/b")]));
        // Resumed where it left off, on a second stream.
        AssertViolations(Watch(All, Segment(10, [E(10, "k/a")], [E(11, "k/b"), E(11, "k/c")]), Segment(12, [E(12, "k/a")], [E(13, "k/b")])));
        // Not watched to the end: accountable only up to what it saw.
        AssertViolations(Watch(All, 10, complete: false, [E(10, "k/a")], [E(11, "k/b"), E(11, "k/c")]));
        // Filters, ranges and no prev_kv.
        var puts = WatchSpec.Prefix("k/", noDelete: true);
        AssertViolations(Watch(puts, 10, [E(10, "k/a", puts)], [E(11, "k/b", puts), E(11, "k/c", puts)], [E(12, "k/a", puts)]));
        var deletes = WatchSpec.Prefix("k/", noPut: true, prevKv: true);
        AssertViolations(Watch(deletes, 11, [E(13, "k/b", deletes)]));
        var range = new WatchSpec("k/a", "k/c");
        AssertViolations(Watch(range, 11, [E(11, "k/b", range)], [E(12, "k/a", range)], [E(13, "k/b", range)]));
        var fromKey = new WatchSpec("k/c", "\0");
        AssertViolations(Watch(fromKey, 10, [E(11, "k/c", fromKey)], [E(14, "z", fromKey)]));
    }

    [Fact]
    public void Events_going_back_in_revision_break_ordering()
    {
        AssertViolations(Watch(All, 10, [E(10, "k/a")], [E(12, "k/a")], [E(11, "k/b"), E(11, "k/c")], [E(13, "k/b")]), WatchGuarantee.Ordered);
    }

    [Fact]
    public void An_event_delivered_twice_breaks_uniqueness()
    {
        // The client resumed at the last revision it saw instead of the one after.
        AssertViolations(
            Watch(All, Segment(10, [E(10, "k/a")], [E(11, "k/b"), E(11, "k/c")]), Segment(11, [E(11, "k/b"), E(11, "k/c")], [E(12, "k/a")], [E(13, "k/b")])),
            WatchGuarantee.Unique);
    }

    [Fact]
    public void A_revision_split_over_responses_breaks_atomicity()
    {
        AssertViolations(Watch(All, 10, [E(10, "k/a")], [E(11, "k/b")], [E(11, "k/c")], [E(12, "k/a")], [E(13, "k/b")]), WatchGuarantee.Atomic);
    }

    [Fact]
    public void A_missing_event_breaks_reliability()
    {
        AssertViolations(Watch(All, 10, [E(10, "k/a")], [E(11, "k/b"), E(11, "k/c")], [E(13, "k/b")]), WatchGuarantee.Reliable);
        // A complete watcher must have seen the end of the history, not only what came before its last event.
        AssertViolations(Watch(All, 10, [E(10, "k/a")], [E(11, "k/b"), E(11, "k/c")], [E(12, "k/a")]), WatchGuarantee.Reliable);
        // Half of a revision's events missing.
        AssertViolations(Watch(All, 10, [E(10, "k/a")], [E(11, "k/b")], [E(12, "k/a")], [E(13, "k/b")]), WatchGuarantee.Reliable);
    }

    [Fact]
    public void Events_older_than_the_start_or_a_gap_at_resumption_break_resumability()
    {
        AssertViolations(Watch(All, 11, [E(10, "k/a")], [E(11, "k/b"), E(11, "k/c")], [E(12, "k/a")], [E(13, "k/b")]), WatchGuarantee.Resumable);
        AssertViolations(Watch(All, Segment(10, [E(10, "k/a")]), Segment(12, [E(12, "k/a")], [E(13, "k/b")])), WatchGuarantee.Resumable);
    }

    [Fact]
    public void A_wrong_or_invented_event_breaks_accuracy()
    {
        var wrongValue = E(12, "k/a");
        wrongValue.Kv.Value = Bytes("3");
        AssertViolations(Watch(All, 10, [E(10, "k/a")], [E(11, "k/b"), E(11, "k/c")], [wrongValue], [E(13, "k/b")]), WatchGuarantee.Accurate);
        var putForDelete = E(13, "k/b");
        putForDelete.Type = Event.Types.EventType.Put;
        AssertViolations(Watch(All, 10, [E(10, "k/a")], [E(11, "k/b"), E(11, "k/c")], [E(12, "k/a")], [putForDelete]), WatchGuarantee.Accurate);
        var invented = E(12, "k/a");
        invented.Kv.Key = Bytes("k/d");
        AssertViolations(Watch(All, 12, complete: false, [E(12, "k/a"), invented]), WatchGuarantee.Accurate);
    }

    [Fact]
    public void A_wrong_missing_or_unasked_prev_kv_is_caught()
    {
        var withoutPrev = E(12, "k/a");
        withoutPrev.PrevKv = null;
        AssertViolations(Watch(All, 12, [withoutPrev], [E(13, "k/b")]), WatchGuarantee.PrevKv);
        var stalePrev = E(13, "k/b");
        stalePrev.PrevKv.Version = 7;
        AssertViolations(Watch(All, 12, [E(12, "k/a")], [stalePrev]), WatchGuarantee.PrevKv);
        var plain = WatchSpec.Prefix("k/");
        AssertViolations(Watch(plain, 12, [E(12, "k/a")], [E(13, "k/b", plain)]), WatchGuarantee.PrevKv);
    }

    [Fact]
    public void A_filtered_event_type_that_comes_anyway_is_caught()
    {
        var noDelete = WatchSpec.Prefix("k/", noDelete: true);
        AssertViolations(Watch(noDelete, 12, [E(12, "k/a", noDelete)], [E(13, "k/b", noDelete)]), WatchGuarantee.Filtered);
        var noPut = WatchSpec.Prefix("k/", noPut: true);
        AssertViolations(Watch(noPut, 12, [E(12, "k/a", noPut)], [E(13, "k/b", noPut)]), WatchGuarantee.Filtered);
    }

    [Fact]
    public void A_key_outside_the_range_is_caught()
    {
        AssertViolations(Watch(All, 13, [E(13, "k/b")], [E(14, "z")]), WatchGuarantee.InRange);
        var single = new WatchSpec("k/a");
        AssertViolations(Watch(single, 11, [E(11, "k/b", single), E(11, "k/c", single)], [E(12, "k/a", single)]), WatchGuarantee.InRange);
    }

    [Fact]
    public void Violations_name_the_watcher_and_the_event()
    {
        var violations = WatchHistoryChecker.Check(History, Watch(All, 10, [E(10, "k/a")], [E(11, "k/b"), E(11, "k/c")], [E(13, "k/b")]));
        var violation = Assert.Single(violations);
        Assert.Equal("w", violation.Watcher);
        Assert.Contains("Put k/a@12", violation.ToString());
        Assert.Equal(13, WatchHistoryChecker.LastWantedRevision(History, All, 10));
        Assert.Equal(0, WatchHistoryChecker.LastWantedRevision(History, new WatchSpec("k/nothing"), 10));
    }

    private static void AssertViolations(RecordedWatch watch, params WatchGuarantee[] expected)
    {
        var violations = WatchHistoryChecker.Check(History, watch);
        Assert.True(
            expected.Order().SequenceEqual(violations.Select(v => v.Guarantee).Distinct().Order()),
            $"expected [{string.Join(", ", expected)}], got:\n{string.Join('\n', violations)}");
    }

    private static RecordedWatch Watch(WatchSpec spec, long start, params Event[][] responses) =>
        Watch(spec, start, true, responses);

    private static RecordedWatch Watch(WatchSpec spec, long start, bool complete, params Event[][] responses) =>
        new("w", spec, [Segment(start, responses)], complete);

    private static RecordedWatch Watch(WatchSpec spec, params WatchSegment[] segments) => new("w", spec, segments, true);

    private static WatchSegment Segment(long start, params Event[][] responses) =>
        new(start, responses.Select(events => (WatchResponse)WatchHistoryChecker.Response(events)).ToArray());

    /// <summary>The true event at a revision for a key, as a watcher with <paramref name="spec"/> would get it.</summary>
    private static Event E(long revision, string key, WatchSpec? spec = null)
    {
        var e = History.Find(revision, key)!.Clone();
        if (!(spec ?? All).PrevKv)
        {
            e.PrevKv = null;
        }
        return e;
    }

    private static KeyValue Kv(string key, string value, long create, long mod, long version) =>
        new() { Key = Bytes(key), Value = Bytes(value), CreateRevision = create, ModRevision = mod, Version = version };
}
