using ActorStore.Robustness.Checking;
using ActorStore.Robustness.History;
using Xunit;

namespace ActorStore.Robustness.CheckerTests;

/// <summary>
/// The linearizability checker on small made-up runs: valid orders of concurrent operations and unknown outcomes pass,
/// each kind of wrong response is caught, and the explanation points at the operation that could not be placed.
/// </summary>
public sealed class LinearizabilityCheckerTests
{
    [Fact]
    public void A_sequential_history_of_every_operation_type_is_linearizable()
    {
        var script = new HistoryScript();
        script.Put(1, "k1", 0, 10);
        script.Get(1, "k1", 20, 30);
        script.Put(1, "k1", 40, 50);
        script.Create(1, "k2", 60, 70);
        script.Create(1, "k2", 80, 90); // exists: fails
        script.Cas(1, "k1", "c1-3", 100, 110);
        script.Cas(1, "k1", "c1-3", 120, 130); // no longer the value: fails
        script.Cas(1, "k3", "", 140, 150); // missing key: a Value compare fails whatever it expects
        script.Delete(1, "k2", 160, 170);
        script.Delete(1, "k2", 180, 190); // missing: no new revision
        script.Txn2(1, "k1", "k3", 200, 210);
        script.Range(1, 220, 230);
        script.Get(1, "k2", 240, 250);
        var run = script.Build();

        AssertLinearizable(Check(run));
        AssertLinearizable(CheckWithoutFinalState(run));
        Assert.Equal(7, run.Final!.Revision);
    }

    [Fact]
    public void Concurrent_writes_may_take_effect_in_either_order()
    {
        foreach (var firstClient in new[] { 1, 2 })
        {
            var script = new HistoryScript();
            var secondClient = 3 - firstClient;
            // Client 1 runs over [0, 100], client 2 over [50, 150]: either may have gone first.
            script.Put(firstClient, "k1", firstClient == 1 ? 0 : 50, firstClient == 1 ? 100 : 150);
            script.Put(secondClient, "k1", secondClient == 1 ? 0 : 50, secondClient == 1 ? 100 : 150);
            script.Get(3, "k1", 200, 210);
            AssertLinearizable(Check(script.Build()));
        }
    }

    [Fact]
    public void A_read_concurrent_with_a_write_may_see_it_or_not()
    {
        foreach (var sees in new[] { true, false })
        {
            var script = new HistoryScript();
            script.Put(1, "k1", 0, 10);
            if (sees)
            {
                script.Put(1, "k1", 20, 100);
                script.Get(2, "k1", 30, 40);
            }
            else
            {
                script.Get(2, "k1", 30, 40);
                script.Put(1, "k1", 20, 100);
            }
            script.Range(3, 110, 120);
            AssertLinearizable(Check(script.Build()));
        }
    }

    [Fact]
    public void A_stale_read_is_not_linearizable()
    {
        var script = new HistoryScript();
        var first = script.Put(1, "k1", 0, 10);
        script.Put(1, "k1", 20, 30);
        var read = script.Get(2, "k1", 40, 50);
        var run = script.Build();
        // As a lagging member would answer: the first value, at the revision it knew.
        var stale = read with { Kvs = [new KeyValueRecord("k1", first.Value, 2, 2, 1)], Revision = 2 };

        var result = Check(run.Replace(read, stale));

        AssertNotLinearizable(result);
        Assert.Contains("client 2 #1 get k1 [call 40, return 50] -> revision 2, kvs [k1=c1-1 (create 2, mod 2, version 1)] went back in revision: " +
            "it was called after client 1 #2 put k1=c1-2 [call 20, return 30] -> revision 3", result.Explanation);
    }

    [Fact]
    public void A_read_of_a_value_never_written_is_not_linearizable()
    {
        var script = new HistoryScript();
        script.Put(1, "k1", 0, 10);
        var read = script.Get(2, "k1", 20, 30);
        var run = script.Build();

        AssertNotLinearizable(Check(run.Replace(read, read with { Kvs = [read.Kvs[0] with { Value = "c9-99" }] })));
        AssertNotLinearizable(CheckWithoutFinalState(run.Replace(read, read with { Kvs = [read.Kvs[0] with { Value = "c9-99" }] })));
    }

    [Fact]
    public void A_lost_acknowledged_write_is_not_linearizable()
    {
        var script = new HistoryScript();
        var put = script.Put(1, "k1", 0, 10);
        var read = script.Get(2, "k1", 20, 30);
        var run = script.Build();

        // A read after the acknowledgement does not see it.
        AssertNotLinearizable(Check(run.Replace(read, read with { Kvs = [] })));
        // Nothing reads it, but the final state has lost it.
        var lostAtTheEnd = run.Without(read) with { States = [run.States[0], new StateRecord(2, [])] };
        AssertNotLinearizable(Check(lostAtTheEnd));
        // Without the final state, nothing tells.
        AssertLinearizable(CheckWithoutFinalState(lostAtTheEnd));
        Assert.Equal(2, put.Revision);
    }

    [Fact]
    public void A_write_applied_twice_is_not_linearizable_when_a_read_sees_the_old_value_come_back()
    {
        var script = new HistoryScript();
        var first = script.Put(1, "k1", 0, 10);
        script.Put(2, "k1", 20, 30);
        script.ApplyAgainWithoutRequest(first);
        var read = script.Get(3, "k1", 40, 50);
        var run = script.Build();
        Assert.Equal(first.Value, read.Kvs[0].Value);

        var result = Check(run);
        AssertNotLinearizable(result);
        Assert.Contains("saw k1=c1-1 (create 2, mod 4, version 3), but the value was sent only by client 1 #1 put k1=c1-1", result.Explanation);
        AssertNotLinearizable(CheckWithoutFinalState(run));
    }

    [Fact]
    public void Hints_from_the_recorded_states_only_order_the_search_and_never_change_a_verdict()
    {
        var script = new HistoryScript();
        script.Put(1, "k1", 0, 10);
        var late = script.Request(2, OperationType.Put, "k1", 20, 30);
        var never = script.Request(3, OperationType.Put, "k1", 20, 30);
        script.Get(4, "k2", 40, 50);
        script.FailedWrite(late, applied: true);
        script.FailedWrite(never, applied: false);
        var read = script.Get(4, "k1", 60, 70);
        var run = script.Build();
        // States that credit revision 3 to the write that never happened, and the right one with nothing.
        var misleading = run.States.Select(state => state with { Kvs = state.Kvs.Select(kv => kv.Value == late.Value ? kv with { Value = never.Value } : kv).ToArray() }).ToArray();

        AssertLinearizable(new LinearizabilityChecker().Check(run.Operations, run.States[^1], misleading));
        var lost = run.Replace(read, read with { Kvs = [] });
        AssertNotLinearizable(new LinearizabilityChecker().Check(lost.Operations, recordedStates: run.States));
        AssertNotLinearizable(new LinearizabilityChecker().Check(lost.Operations, recordedStates: misleading));
    }

    [Fact]
    public void An_unknown_write_may_take_effect_late_or_never()
    {
        foreach (var applied in new[] { true, false })
        {
            var script = new HistoryScript();
            script.Put(1, "k1", 0, 10);
            var request = script.Request(2, OperationType.Put, "k1", 20, 30);
            script.Get(3, "k1", 40, 50); // after the client gave up, it has not happened yet
            script.FailedWrite(request, applied);
            script.Get(3, "k1", 60, 70);
            script.Put(1, "k2", 80, 90);
            var run = script.Build();

            AssertLinearizable(Check(run));
            AssertLinearizable(CheckWithoutFinalState(run));
        }
    }

    [Fact]
    public void Unknown_writes_of_every_kind_fit_wherever_they_took_effect()
    {
        var script = new HistoryScript();
        script.Put(1, "k1", 0, 10);
        var cas = script.Request(2, OperationType.Cas, "k1", 5, 15) with { Expect = "c1-1" };
        var create = script.Request(3, OperationType.Create, "k2", 5, 15);
        var txn = script.Request(4, OperationType.Txn2, "k3", 5, 15) with { Key2 = "k4" };
        var delete = script.Request(5, OperationType.Delete, "k1", 5, 15);
        script.FailedWrite(txn, applied: true);
        script.Range(6, 20, 30);
        script.FailedWrite(cas, applied: true);
        script.FailedWrite(create, applied: false);
        script.Get(6, "k1", 40, 50);
        script.FailedWrite(delete, applied: true);
        script.Range(6, 60, 70);
        var run = script.Build();

        AssertLinearizable(Check(run));
        AssertLinearizable(CheckWithoutFinalState(run));
    }

    [Fact]
    public void An_unknown_write_seen_only_in_the_final_state_took_effect_after_everything_else()
    {
        var script = new HistoryScript();
        var request = script.Request(1, OperationType.Put, "k1", 0, 10);
        script.Get(2, "k1", 20, 30);
        script.FailedWrite(request, applied: true);
        var run = script.Build();

        AssertLinearizable(Check(run));
        // The final state cannot show a value nobody sent, though.
        var intruder = run.States[^1] with { Kvs = [run.States[^1].Kvs[0] with { Value = "c9-99" }] };
        AssertNotLinearizable(Check(run with { States = [run.States[0], intruder] }));
    }

    [Fact]
    public void An_unknown_write_cannot_take_effect_before_it_was_called()
    {
        var script = new HistoryScript();
        var request = script.Request(1, OperationType.Put, "k1", 50, 60);
        script.FailedWrite(request, applied: true);
        script.Get(2, "k1", 0, 10);

        AssertNotLinearizable(Check(script.Build()));
    }

    [Fact]
    public void Every_field_of_a_response_is_compared()
    {
        var script = new HistoryScript();
        script.Put(1, "k1", 0, 10);
        var put = script.Put(1, "k1", 20, 30);
        var get = script.Get(1, "k1", 40, 50);
        var range = script.Range(1, 60, 70);
        var cas = script.Cas(1, "k1", "c1-2", 80, 90);
        var create = script.Create(1, "k1", 100, 110);
        var txn = script.Txn2(1, "k1", "k2", 120, 130);
        var delete = script.Delete(1, "k2", 140, 150);
        var deleteMissing = script.Delete(1, "k2", 160, 170);
        var run = script.Build();
        AssertLinearizable(CheckWithoutFinalState(run));

        var corruptions = new (string What, OperationRecord Original, OperationRecord Corrupted)[]
        {
            ("put revision", put, put with { Revision = put.Revision + 1 }),
            ("put prev value", put, put with { Prev = put.Prev! with { Value = "c1-9" } }),
            ("put prev missing", put, put with { Prev = null }),
            ("get create revision", get, get with { Kvs = [get.Kvs[0] with { CreateRevision = 3 }] }),
            ("get mod revision", get, get with { Kvs = [get.Kvs[0] with { ModRevision = 2 }] }),
            ("get version", get, get with { Kvs = [get.Kvs[0] with { Version = 1 }] }),
            ("get revision", get, get with { Revision = get.Revision + 1 }),
            ("range missing a key", range, range with { Kvs = [] }),
            ("cas not succeeded", cas, cas with { Succeeded = false }),
            ("create succeeded on an existing key", create, create with { Succeeded = true, Revision = create.Revision + 1 }),
            ("txn2 not succeeded", txn, txn with { Succeeded = false }),
            ("delete count", delete, delete with { Deleted = 0 }),
            ("delete prev", delete, delete with { Prev = null }),
            ("delete of a missing key took a revision", deleteMissing, deleteMissing with { Revision = deleteMissing.Revision + 1 }),
        };
        foreach (var (what, original, corrupted) in corruptions)
        {
            var result = CheckWithoutFinalState(run.Replace(original, corrupted));
            Assert.True(result.Verdict == LinearizabilityVerdict.NotLinearizable, $"{what}: {result}");
        }
    }

    [Fact]
    public void A_cas_on_a_missing_key_cannot_succeed_even_expecting_the_empty_value()
    {
        var script = new HistoryScript();
        var cas = script.Cas(1, "k1", "", 0, 10);
        var run = script.Build();
        Assert.False(cas.Succeeded);
        AssertLinearizable(CheckWithoutFinalState(run));

        AssertNotLinearizable(CheckWithoutFinalState(run.Replace(cas, cas with { Succeeded = true, Revision = 2 })));
    }

    [Fact]
    public void A_txn2_puts_both_keys_at_one_revision()
    {
        var script = new HistoryScript();
        var txn = script.Txn2(1, "k1", "k2", 0, 10);
        var range = script.Range(1, 20, 30);
        var run = script.Build();
        Assert.Equal([2L, 2L], range.Kvs.Select(kv => kv.ModRevision));
        AssertLinearizable(Check(run));

        var oneAfterTheOther = range with { Revision = 3, Kvs = [range.Kvs[0], range.Kvs[1] with { CreateRevision = 3, ModRevision = 3 }] };
        AssertNotLinearizable(CheckWithoutFinalState(run.Replace(range, oneAfterTheOther)));
        Assert.True(txn.Succeeded);
    }

    [Fact]
    public void Failed_reads_are_dropped()
    {
        var script = new HistoryScript();
        script.Put(1, "k1", 0, 10);
        var read = script.Get(2, "k1", 20, 30);
        var run = script.Build();

        var failed = read with { Ok = false, Error = "context deadline exceeded", Kvs = [], Revision = 0 };
        AssertLinearizable(Check(run.Replace(read, failed)));
    }

    [Fact]
    public void The_explanation_gives_the_longest_prefix_and_the_operation_that_could_not_be_placed()
    {
        var script = new HistoryScript();
        script.Put(1, "k1", 0, 10);
        script.Put(1, "k2", 20, 30);
        var read = script.Get(2, "k1", 40, 50);
        var run = script.Build();

        var result = new LinearizabilityChecker().Check(run.Replace(read, read with { Kvs = [] }).Operations, recordedStates: run.States);

        AssertNotLinearizable(result);
        Assert.Contains("The longest linearizable prefix found places 2 of them and 0 unknown writes, up to store revision 3", result.Explanation);
        Assert.Contains("client 1 #2 put k2=c1-2 [call 20, return 30]", result.Explanation);
        Assert.Contains("no order could place client 2 #1 get k1 [call 40, return 50] -> revision 3, kvs []", result.Explanation);
        Assert.Contains("would have answered: revision 3, kvs [k1=c1-1 (create 2, mod 2, version 1)]", result.Explanation);
        Assert.Contains("The recorded state at revision 3 has: k1=c1-1 (create 2, mod 2, version 1).", result.Explanation);
    }

    [Fact]
    public void Revisions_that_go_back_in_real_time_or_are_made_twice_are_refuted_before_any_search()
    {
        var script = new HistoryScript();
        script.Put(1, "k1", 0, 10);
        var second = script.Put(1, "k2", 20, 30);
        var concurrent = script.Put(2, "k3", 25, 35);
        var run = script.Build();

        var backwards = Check(run.Replace(second, second with { Revision = 2, Prev = null }));
        AssertNotLinearizable(backwards);
        Assert.Equal(0, backwards.Steps);
        Assert.Contains("client 1 #2 put k2=c1-2 [call 20, return 30] -> revision 2, prev none went back in revision: it was called after " +
            "client 1 #1 put k1=c1-1 [call 0, return 10] -> revision 2, prev none had returned, so it must find the store at revision 2 or later, " +
            "yet its response puts it at revision 1.", backwards.Explanation);

        var twice = Check(run.Replace(concurrent, concurrent with { Revision = 3 }));
        AssertNotLinearizable(twice);
        Assert.Equal(0, twice.Steps);
        Assert.Contains("each answered that it made revision 3", twice.Explanation);
    }

    [Fact]
    public void A_write_contradicting_what_a_read_saw_at_its_revision_is_named()
    {
        var script = new HistoryScript();
        script.Put(1, "k1", 0, 10);
        var read = script.Get(2, "k1", 20, 30);
        var run = script.Build();
        // The read claims revision 2 wrote another value than the put did.
        var result = CheckWithoutFinalState(run.Replace(read, read with { Kvs = [read.Kvs[0] with { Value = "c9-99" }] }));

        AssertNotLinearizable(result);
        Assert.Contains("client 2 #1 get k1", result.Explanation);
    }

    [Fact]
    public void A_search_out_of_budget_is_inconclusive_not_a_failure()
    {
        var script = new HistoryScript();
        script.Put(1, "k1", 0, 10);
        script.Put(2, "k1", 5, 15);
        var result = new LinearizabilityChecker(new LinearizabilityBudget(1, TimeSpan.FromMinutes(1), 1000)).Check(script.Build());

        Assert.Equal(LinearizabilityVerdict.Inconclusive, result.Verdict);
        Assert.StartsWith("inconclusive: the step budget of 1 ran out", result.Explanation);
    }

    private static LinearizabilityResult Check(RecordedRun run) => new LinearizabilityChecker().Check(run);

    private static LinearizabilityResult CheckWithoutFinalState(RecordedRun run) => new LinearizabilityChecker().Check(run.Operations);

    private static void AssertLinearizable(LinearizabilityResult result) => Assert.True(result.IsLinearizable, result.ToString());

    private static void AssertNotLinearizable(LinearizabilityResult result) =>
        Assert.True(result.Verdict == LinearizabilityVerdict.NotLinearizable, result.ToString());
}
