using ActorStore.Robustness.Checking;
using ActorStore.Robustness.History;
using Xunit;
using Xunit.Abstractions;

namespace ActorStore.Robustness.CheckerTests;

/// <summary>All checks together, as the harness calls them: a good run has no violations, a bad one reads as sentences.</summary>
public sealed class RunChecksTests(ITestOutputHelper output)
{
    [Fact]
    public void A_good_run_has_no_violations()
    {
        Assert.Empty(RunChecks.CheckAll(RandomHistory.Generate(seed: 7, clients: 4, operations: 400, keys: 4, unknownWriteShare: 0.05)));
    }

    [Fact]
    public void A_write_applied_twice_is_reported_by_each_check_that_can_see_it()
    {
        var script = new HistoryScript("m1", "m2", "m3");
        var first = script.Put(1, "k1", 0, 10);
        script.Put(2, "k1", 20, 30);
        script.ApplyAgainWithoutRequest(first);
        script.Get(3, "k1", 40, 50);

        var violations = RunChecks.CheckAll(script.Build());

        Print(violations);
        Assert.Equal(2, violations.Count);
        Assert.StartsWith("Linearizability: the history is not linearizable", violations[0]);
        Assert.StartsWith("At most once: The value \"c1-1\" was applied 2 times, at revisions 2 (k1), 4 (k1)", violations[1]);
    }

    [Fact]
    public void A_dropped_watch_event_is_reported_with_the_member()
    {
        var script = new HistoryScript("m1", "m2");
        script.Put(1, "k1", 0, 10);
        script.Put(1, "k2", 20, 30);
        var run = script.Build().EditWatch("m2", responses => responses.Skip(1));

        var violation = Assert.Single(RunChecks.CheckAll(run));

        Print([violation]);
        Assert.StartsWith("Watch, Reliable broken by the watcher on m2: segment 0 (from 1, accountable to 3) missed 1 events", violation);
    }

    [Fact]
    public void A_run_cut_short_is_reported()
    {
        var script = new HistoryScript("m1");
        script.Put(1, "k1", 0, 10);
        var run = script.Build();

        Assert.Contains("The history has no \"final\" line: the recording was cut short.", RunChecks.CheckAll(run with { Final = null }));
        var gap = RunChecks.CheckAll(run with { States = [run.States[0]] });
        Print(gap);
        Assert.Contains("The history has no state for 1 of the revisions 1 to 2, e.g. 2.", gap);
        Assert.Contains("Watch: not checked, as the states needed for the ground truth are incomplete.", gap);
        Assert.Contains("The final line counts 5 operations, but the history holds 1.", RunChecks.CheckAll(run with { Final = run.Final! with { Ops = 5 } }));
    }

    [Fact]
    public void Many_violations_of_one_check_are_cut_to_the_first_ones_and_a_count()
    {
        var run = RandomHistory.Generate(seed: 5, clients: 4, operations: 200, keys: 4, unknownWriteShare: 0);
        var shifted = run with { States = run.States.Select(state => state with { Revision = state.Revision + 1000 }).ToArray() };

        var violations = RunChecks.CheckAll(shifted);

        var atMostOnce = violations.Where(v => v.StartsWith("At most once", StringComparison.Ordinal)).ToArray();
        Assert.Equal(RunChecks.MaxViolationsPerCheck, atMostOnce.Length);
        Assert.Contains(violations, v => v.StartsWith("... and ", StringComparison.Ordinal) && v.EndsWith(" more at-most-once violations.", StringComparison.Ordinal));
    }

    [Fact]
    public void An_inconclusive_search_is_reported_as_unchecked_not_passed()
    {
        var run = RandomHistory.Generate(seed: 3, clients: 4, operations: 100, keys: 4, unknownWriteShare: 0.05);

        var violation = Assert.Single(RunChecks.CheckAll(run, new LinearizabilityBudget(10, TimeSpan.FromMinutes(1), 1000)));

        Print([violation]);
        Assert.StartsWith("Linearizability could not be checked, which is not a pass: the search was inconclusive: the step budget of 10 ran out", violation);
    }

    private void Print(IEnumerable<string> violations)
    {
        foreach (var violation in violations)
        {
            output.WriteLine(violation);
        }
    }
}
