using ActorStore.Protocol.Errors;
using Etcdserverpb;
using Xunit;
using static ActorStore.Server.Tests.Kv.Kv;
using CompareResult = Etcdserverpb.Compare.Types.CompareResult;
using CompareTarget = Etcdserverpb.Compare.Types.CompareTarget;

namespace ActorStore.Server.Tests.Kv;

/// <summary>Transactions, with the answers etcd 3.4.23 gave for the same requests (a=1@2, b=2@3, c=3@4 to start).</summary>
public sealed class KvApplierTxnTests
{
    private static Server.Kv.KvApplier Seeded()
    {
        var applier = NewApplier();
        applier.Put("a", "1");
        applier.Put("b", "2");
        applier.Put("c", "3");
        return applier;
    }

    private static Compare Cmp(string key, CompareTarget target, CompareResult result, Action<Compare>? set = null, string? rangeEnd = null)
    {
        var compare = new Compare { Key = B(key), Target = target, Result = result };
        if (rangeEnd is not null)
        {
            compare.RangeEnd = B(rangeEnd);
        }

        set?.Invoke(compare);
        return compare;
    }

    [Fact]
    public void Read_only_txn_answers_at_the_current_revision()
    {
        var response = Seeded().Txn(Txn(success: [RangeOp("a")]));

        Assert.True(response.Succeeded);
        Assert.Equal(4, response.Header.Revision);
        Assert.Equal("a=1@2/2/1", Describe(response.Responses[0].ResponseRange.Kvs));
        Assert.Equal(4, response.Responses[0].ResponseRange.Header.Revision);
    }

    [Fact]
    public void Writes_share_one_revision_and_later_reads_see_them()
    {
        var applier = Seeded();

        var response = applier.Txn(Txn(
            [Cmp("a", CompareTarget.Value, CompareResult.Equal, c => c.Value = B("1"))],
            [PutOp("x", "1"), RangeOp("x"), RangeOp("a", "z", countOnly: true)]));

        Assert.True(response.Succeeded);
        Assert.Equal(5, response.Header.Revision);
        Assert.Equal(5, response.Responses[0].ResponsePut.Header.Revision);
        Assert.Equal("x=1@5/5/1", Describe(response.Responses[1].ResponseRange.Kvs));
        Assert.Equal(5, response.Responses[1].ResponseRange.Header.Revision);
        Assert.Equal(4, response.Responses[2].ResponseRange.Count);
        Assert.Equal(5, applier.Store.CurrentRevision);
    }

    [Fact]
    public void Failed_compare_runs_the_failure_branch()
    {
        var response = Seeded().Txn(Txn(
            [Cmp("a", CompareTarget.Value, CompareResult.Equal, c => c.Value = B("nope"))],
            [PutOp("y", "1")],
            [RangeOp("b")]));

        Assert.False(response.Succeeded);
        Assert.Equal(4, response.Header.Revision);
        Assert.Equal("b", Keys(response.Responses[0].ResponseRange.Kvs));
    }

    [Fact]
    public void Nested_txn_responses_have_an_empty_header()
    {
        var applier = Seeded();

        var response = applier.Txn(Txn(success:
        [
            TxnOp(Txn([Cmp("b", CompareTarget.Version, CompareResult.Greater, c => c.Version = 0)], [PutOp("n1", "1"), RangeOp("n1")])),
            PutOp("n2", "2"),
        ]));

        Assert.Equal(5, response.Header.Revision);
        var nested = response.Responses[0].ResponseTxn;
        Assert.True(nested.Succeeded);
        Assert.NotNull(nested.Header);
        Assert.Equal(0, nested.Header.Revision);
        Assert.Equal(5, nested.Responses[0].ResponsePut.Header.Revision);
        Assert.Equal("n1=1@5/5/1", Describe(nested.Responses[1].ResponseRange.Kvs));
        Assert.Equal(5, response.Responses[1].ResponsePut.Header.Revision);
        var changes = applier.Store.Range(B("n").Span, B("o").Span);
        Assert.Equal("n1=1@5/5/1 n2=2@5/5/1", Describe(changes.Kvs));
    }

    [Fact]
    public void Nested_read_only_txn_does_not_bump_the_revision()
    {
        var response = Seeded().Txn(Txn(success: [TxnOp(Txn(success: [RangeOp("a")]))]));

        Assert.Equal(4, response.Header.Revision);
        Assert.Equal("a", Keys(response.Responses[0].ResponseTxn.Responses[0].ResponseRange.Kvs));
    }

    [Fact]
    public void Put_then_delete_of_the_same_key_in_one_txn()
    {
        var applier = Seeded();

        var response = applier.Txn(Txn(success: [PutOp("b", "1"), DeleteOp("a", FromKey)]));

        Assert.Equal(5, response.Header.Revision);
        Assert.Equal(3, response.Responses[1].ResponseDeleteRange.Deleted);
        Assert.Equal(0, applier.Store.Range(B("a").Span, B(FromKey).Span).Count);
    }

    [Fact]
    public void Delete_matching_nothing_in_a_txn_keeps_the_revision()
    {
        var response = Seeded().Txn(Txn(success: [DeleteOp("nomatch")]));

        Assert.Equal(4, response.Header.Revision);
        Assert.Equal(4, response.Responses[0].ResponseDeleteRange.Header.Revision);
        Assert.Equal(0, response.Responses[0].ResponseDeleteRange.Deleted);
    }

    [Theory]
    [InlineData("zz", CompareTarget.Value, CompareResult.NotEqual, null, false)]
    [InlineData("zz", CompareTarget.Version, CompareResult.Equal, null, true)]
    [InlineData("a", CompareTarget.Create, CompareResult.Less, "z", true)]
    [InlineData("a", CompareTarget.Mod, CompareResult.Greater, "z", false)]
    [InlineData("a", CompareTarget.Lease, CompareResult.Equal, null, true)]
    [InlineData("a", CompareTarget.Value, CompareResult.Greater, null, true)]
    public void Compares_behave_like_etcd(string key, CompareTarget target, CompareResult result, string? rangeEnd, bool expected)
    {
        var compare = Cmp(key, target, result, c =>
        {
            switch (target)
            {
                case CompareTarget.Value: c.Value = B("1"); break;
                case CompareTarget.Create: c.CreateRevision = 100; break;
                case CompareTarget.Mod: c.ModRevision = 2; break;
            }
        }, rangeEnd);
        if (target == CompareTarget.Value && result == CompareResult.Greater)
        {
            // A number where a value is compared counts as the empty value.
            compare.Version = 5;
        }

        Assert.Equal(expected, Seeded().Txn(Txn([compare])).Succeeded);
    }

    [Fact]
    public void Range_revision_checks_happen_before_any_write()
    {
        var applier = Seeded();

        var error = Assert.Throws<RpcException>(() => applier.Txn(Txn(success: [RangeOp("a", revision: 1000), PutOp("a", "x")])));

        Assert.Equal(EtcdErrors.FutureRev.Message, error.Message);
        Assert.Equal(4, applier.Store.CurrentRevision);
    }

    [Fact]
    public void Negative_range_revision_is_compacted_only_once_the_store_was_compacted()
    {
        var applier = Seeded();

        var before = applier.Txn(Txn(success: [RangeOp("a", revision: -1)]));
        applier.Compact(new CompactionRequest { Revision = 3 });
        var after = Assert.Throws<RpcException>(() => applier.Txn(Txn(success: [RangeOp("a", revision: -1)])));
        var atCompaction = applier.Txn(Txn(success: [RangeOp("a", revision: 3)]));
        var compacted = Assert.Throws<RpcException>(() => applier.Txn(Txn(success: [RangeOp("a", revision: 2)])));

        Assert.Equal("a", Keys(before.Responses[0].ResponseRange.Kvs));
        Assert.Equal(EtcdErrors.Compacted.Message, after.Message);
        Assert.Equal("a", Keys(atCompaction.Responses[0].ResponseRange.Kvs));
        Assert.Equal(EtcdErrors.Compacted.Message, compacted.Message);
    }

    [Fact]
    public void Put_checks_fail_the_whole_txn_without_writing()
    {
        var applier = Seeded();

        var missingKey = Assert.Throws<RpcException>(() => applier.Txn(Txn(success:
            [PutOp("ok", "1"), new RequestOp { RequestPut = new PutRequest { Key = B("zz"), IgnoreValue = true } }])));
        var missingLease = Assert.Throws<RpcException>(() => applier.Txn(Txn(success:
            [PutOp("ok", "1"), new RequestOp { RequestPut = new PutRequest { Key = B("zz"), Value = B("1"), Lease = 7 } }])));

        Assert.Equal(EtcdErrors.KeyNotFound.Message, missingKey.Message);
        Assert.Equal(EtcdErrors.LeaseNotFound.Message, missingLease.Message);
        Assert.Equal(4, applier.Store.CurrentRevision);
        Assert.Equal(0, applier.Store.Range(B("ok").Span, []).Count);
    }

    [Fact]
    public void Put_checks_only_look_at_the_chosen_branch()
    {
        var applier = Seeded();

        var response = applier.Txn(Txn(
            [Cmp("a", CompareTarget.Version, CompareResult.Equal, c => c.Version = 1)],
            [PutOp("ok", "1")],
            [new RequestOp { RequestPut = new PutRequest { Key = B("zz"), Value = B("1"), Lease = 7 } }]));

        Assert.True(response.Succeeded);
        Assert.Equal(5, response.Header.Revision);
    }

    [Fact]
    public void Nested_compares_are_evaluated_before_the_outer_writes()
    {
        var applier = Seeded();

        // The nested compare sees a@2 even though the outer put of "a" comes first.
        var response = applier.Txn(Txn(success:
        [
            PutOp("a", "changed"),
            TxnOp(Txn([Cmp("a", CompareTarget.Mod, CompareResult.Equal, c => c.ModRevision = 2)], [PutOp("seen", "old")], [PutOp("seen", "new")])),
        ]));

        Assert.True(response.Responses[1].ResponseTxn.Succeeded);
        Assert.Equal("old", Assert.Single(applier.Store.Range(B("seen").Span, []).Kvs).Value.ToStringUtf8());
    }

    [Fact]
    public void Multiple_changes_are_sub_revisions_of_one_revision_in_the_change_set()
    {
        var applier = Seeded();
        Mvcc.MvccChangeSet? changes = null;
        applier.Store.Committed += set => changes = set;

        applier.Txn(Txn(success: [PutOp("x", "1"), DeleteOp("a"), PutOp("y", "2")]));

        Assert.NotNull(changes);
        Assert.Equal(5, changes.Revision);
        Assert.Equal(3, changes.Count);
        Assert.Equal("x,a,y", string.Join(",", changes.Events.Select(e => e.Kv.Key.ToStringUtf8())));
        Assert.All(changes.Events, e => Assert.Equal(5, e.Kv.ModRevision));
    }
}
