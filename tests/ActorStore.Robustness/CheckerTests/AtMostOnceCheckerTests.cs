using ActorStore.Robustness.Checking;
using ActorStore.Robustness.History;
using Xunit;

namespace ActorStore.Robustness.CheckerTests;

/// <summary>The at-most-once checker against the recorded states: faithful runs pass, each way of misapplying a write is caught.</summary>
public sealed class AtMostOnceCheckerTests
{
    [Fact]
    public void Each_value_applied_once_at_its_acknowledged_revision_passes()
    {
        var script = new HistoryScript();
        script.Put(1, "k1", 0, 10);
        script.Txn2(2, "k1", "k2", 20, 30); // one value at two keys, one revision: one application
        script.Cas(1, "k1", "c2-1", 40, 50);
        script.Cas(1, "k1", "c2-1", 60, 70); // failed: not applied, not required to be
        script.Create(2, "k3", 80, 90);
        script.Delete(2, "k2", 100, 110);
        script.FailedWrite(script.Request(3, OperationType.Put, "k1", 120, 130), applied: true);
        script.FailedWrite(script.Request(3, OperationType.Put, "k2", 140, 150), applied: false);

        Assert.Empty(AtMostOnceChecker.Check(script.Build()));
    }

    [Fact]
    public void A_value_applied_at_two_revisions_is_caught_with_the_value_the_revisions_and_the_operation()
    {
        var script = new HistoryScript();
        var first = script.Put(1, "k1", 0, 10);
        script.Put(2, "k1", 20, 30);
        script.ApplyAgainWithoutRequest(first);

        var violation = Assert.Single(AtMostOnceChecker.Check(script.Build()));

        Assert.Equal(AtMostOnceViolationKind.AppliedMoreThanOnce, violation.Kind);
        Assert.Equal("c1-1", violation.Value);
        Assert.Equal([2L, 4L], violation.Revisions);
        Assert.Contains("applied 2 times, at revisions 2 (k1), 4 (k1)", violation.Detail);
        Assert.Contains("client 1 #1 put k1=c1-1 [call 0, return 10]", violation.Detail);
    }

    [Fact]
    public void An_unknown_outcome_write_applied_twice_is_caught_too()
    {
        var script = new HistoryScript();
        var request = script.Request(1, OperationType.Txn2, "k1", 0, 10) with { Key2 = "k2" };
        script.FailedWrite(request, applied: true);
        script.Put(2, "k1", 20, 30);
        script.ApplyAgainWithoutRequest(request);

        var violation = Assert.Single(AtMostOnceChecker.Check(script.Build()));

        Assert.Equal(AtMostOnceViolationKind.AppliedMoreThanOnce, violation.Kind);
        Assert.Equal([2L, 4L], violation.Revisions);
    }

    [Fact]
    public void An_acknowledged_write_missing_from_the_states_is_caught()
    {
        var script = new HistoryScript();
        var put = script.Put(1, "k1", 0, 10);
        script.Put(2, "k2", 20, 30);
        var run = script.Build();
        var lost = run with { States = run.States.Select(state => state with { Kvs = state.Kvs.Where(kv => kv.Value != put.Value).ToArray() }).ToArray() };

        var violation = Assert.Single(AtMostOnceChecker.Check(lost));

        Assert.Equal(AtMostOnceViolationKind.AcknowledgedWriteMissing, violation.Kind);
        Assert.Equal("c1-1", violation.Value);
        Assert.Contains("is not at revision 2: k1 there is absent; its value is at no recorded revision", violation.Detail);
    }

    [Fact]
    public void An_acknowledged_write_at_another_revision_than_it_was_told_is_caught()
    {
        var script = new HistoryScript();
        script.Put(1, "k1", 0, 10);
        var txn = script.Txn2(2, "k2", "k3", 20, 30);
        var run = script.Build();

        var violation = Assert.Single(AtMostOnceChecker.Check(run.Replace(txn, txn with { Revision = 2 })));

        Assert.Equal(AtMostOnceViolationKind.AcknowledgedWriteMissing, violation.Kind);
        Assert.Contains("its value was applied at revision 3", violation.Detail);
    }

    [Fact]
    public void An_acknowledged_delete_whose_key_stays_is_caught()
    {
        var script = new HistoryScript();
        script.Put(1, "k1", 0, 10);
        var delete = script.Delete(1, "k1", 20, 30);
        var run = script.Build();
        var undeleted = run with { States = [.. run.States.SkipLast(1), run.States[^1] with { Kvs = run.States[^2].Kvs }] };

        var violation = Assert.Single(AtMostOnceChecker.Check(undeleted));

        Assert.Equal(AtMostOnceViolationKind.AcknowledgedWriteMissing, violation.Kind);
        Assert.Contains($"{delete}", violation.Detail);
        Assert.Contains("k1 is still there", violation.Detail);
    }

    [Fact]
    public void A_value_no_operation_sent_is_caught()
    {
        var script = new HistoryScript();
        script.Put(1, "k1", 0, 10);
        var run = script.Build();
        var invented = run with { States = [run.States[0], run.States[1] with { Kvs = [run.States[1].Kvs[0] with { Value = "c9-99" }] }] };

        var violations = AtMostOnceChecker.Check(invented);

        Assert.Contains(violations, v => v.Kind == AtMostOnceViolationKind.WrittenByNoOperation && v.Value == "c9-99");
        Assert.Contains(violations, v => v.Kind == AtMostOnceViolationKind.AcknowledgedWriteMissing && v.Value == "c1-1");
    }
}
