using ActorStore.Protocol.Errors;
using Mvccpb;
using static ActorStore.Mvcc.Tests.Bytes;

namespace ActorStore.Mvcc.Tests;

public sealed class MvccStoreTests
{
    private static string Describe(RangeResult result) =>
        string.Join(" ", result.Kvs.Select(kv => $"{Text(kv.Key)}={Text(kv.Value)}@{kv.CreateRevision}/{kv.ModRevision}/{kv.Version}"));

    [Fact]
    public void Fresh_store_is_at_revision_1_and_never_compacted()
    {
        var store = new MvccStore();

        Assert.Equal(1, store.CurrentRevision);
        Assert.Equal(-1, store.CompactRevision);
        Assert.Equal(2, store.Put(Of("a"), Of("1")));
    }

    [Fact]
    public void One_write_transaction_is_one_revision_with_sub_revisions()
    {
        var store = new MvccStore();
        var txn = store.BeginWrite();

        Assert.Equal(2, txn.Put(Of("a"), Of("1")));
        Assert.Equal(2, txn.Put(Of("b"), Of("2")));
        Assert.Equal(2, txn.Put(Of("a"), Of("3")));
        var inside = txn.Range(Of("a"), []);
        var changes = txn.End();

        Assert.Equal(2, store.CurrentRevision);
        Assert.Equal("a=3@2/2/2", Describe(inside));
        Assert.Equal(2, inside.Revision);
        Assert.Equal(3, changes.Count);
        Assert.Equal([0L, 1L, 2L], store.History.Select(r => r.Revision.Sub));
        Assert.Equal("a=3@2/2/2", Describe(store.Range(Of("a"), [])));
    }

    [Fact]
    public void Transaction_without_changes_keeps_the_revision()
    {
        var store = new MvccStore();
        store.Put(Of("a"), Of("1"));
        var raised = 0;
        store.Committed += _ => raised++;

        var txn = store.BeginWrite();
        var deleted = txn.DeleteRange(Of("zz"), []);
        var changes = txn.End();

        Assert.Equal(new DeleteResult(0, 2), deleted);
        Assert.Equal(2, store.CurrentRevision);
        Assert.Equal(0, changes.Count);
        Assert.Equal(2, changes.Revision);
        Assert.Equal(0, raised);
    }

    [Fact]
    public void Write_transaction_is_single_use_and_exclusive()
    {
        var store = new MvccStore();
        var txn = store.BeginWrite();

        Assert.Throws<InvalidOperationException>(() => store.BeginWrite());
        Assert.Throws<InvalidOperationException>(() => store.Compact(1));
        txn.End();
        Assert.Throws<InvalidOperationException>(() => txn.Put(Of("a"), Of("1")));
        Assert.Throws<InvalidOperationException>(() => txn.End());
    }

    [Fact]
    public void Range_conventions_single_key_from_key_and_interval()
    {
        var store = new MvccStore();
        foreach (var key in new[] { "a", "b", "c", "d" })
        {
            store.Put(Of(key), Of(key));
        }

        Assert.Equal("b=b@3/3/1", Describe(store.Range(Of("b"), [])));
        Assert.Equal("b=b@3/3/1 c=c@4/4/1", Describe(store.Range(Of("b"), Of("d"))));
        Assert.Equal("c=c@4/4/1 d=d@5/5/1", Describe(store.Range(Of("c"), FromKey)));
        Assert.Empty(store.Range(Of("d"), Of("a")).Kvs);
    }

    [Fact]
    public void Limit_truncates_but_count_covers_all_and_count_only_returns_no_kvs()
    {
        var store = new MvccStore();
        foreach (var key in new[] { "a", "b", "c" })
        {
            store.Put(Of(key), Of("v"));
        }

        var limited = store.Range(Of("a"), FromKey, limit: 2);
        var counted = store.Range(Of("a"), FromKey, countOnly: true);

        Assert.Equal(2, limited.Kvs.Count);
        Assert.Equal(3, limited.Count);
        Assert.Empty(counted.Kvs);
        Assert.Equal(3, counted.Count);
    }

    [Fact]
    public void Historical_reads_follow_generations()
    {
        var store = new MvccStore();
        store.Put(Of("a"), Of("1"));
        store.Put(Of("a"), Of("2"));
        store.DeleteRange(Of("a"), []);
        store.Put(Of("a"), Of("3"));

        Assert.Equal("a=1@2/2/1", Describe(store.Range(Of("a"), [], 2)));
        Assert.Equal("a=2@2/3/2", Describe(store.Range(Of("a"), [], 3)));
        Assert.Empty(store.Range(Of("a"), [], 4).Kvs);
        Assert.Equal("a=3@5/5/1", Describe(store.Range(Of("a"), [], 5)));
        Assert.Equal("a=3@5/5/1", Describe(store.Range(Of("a"), [], -7)));
    }

    [Fact]
    public void Future_and_compacted_reads_fail_with_etcds_errors()
    {
        var store = new MvccStore();
        for (var i = 0; i < 5; i++)
        {
            store.Put(Of("a"), Of($"{i}"));
        }

        store.Compact(4);

        Assert.Equal(EtcdErrors.FutureRev.Message, Assert.Throws<RpcException>(() => store.Range(Of("a"), [], 7)).Message);
        Assert.Equal(EtcdErrors.Compacted.Message, Assert.Throws<RpcException>(() => store.Range(Of("a"), [], 3)).Message);
        Assert.Equal("a=2@2/4/3", Describe(store.Range(Of("a"), [], 4)));
    }

    [Fact]
    public void Compaction_errors_and_removal_of_deleted_keys()
    {
        var store = new MvccStore();
        store.Put(Of("gone"), Of("1"));
        store.Put(Of("kept"), Of("1"));
        store.DeleteRange(Of("gone"), []);
        store.Put(Of("kept"), Of("2"));

        Assert.Equal(EtcdErrors.FutureRev.Message, Assert.Throws<RpcException>(() => store.Compact(6)).Message);
        store.Compact(4);
        Assert.Equal(EtcdErrors.Compacted.Message, Assert.Throws<RpcException>(() => store.Compact(4)).Message);
        Assert.Equal(EtcdErrors.Compacted.Message, Assert.Throws<RpcException>(() => store.Compact(3)).Message);

        Assert.Equal(1, store.IndexedKeyCount);
        Assert.Equal(2, store.RecordCount);
        Assert.Equal("kept=1@3/3/1", Describe(store.Range(Of("kept"), [], 4)));
    }

    [Fact]
    public void Compaction_at_zero_is_allowed_once_like_etcd()
    {
        var store = new MvccStore();

        store.Compact(0);

        Assert.Equal(0, store.CompactRevision);
        Assert.Throws<RpcException>(() => store.Compact(0));
        Assert.Throws<RpcException>(() => new MvccStore().Compact(-1));
    }

    [Fact]
    public void Lease_is_stored_per_version()
    {
        var store = new MvccStore();
        store.Put(Of("a"), Of("1"), lease: 42);
        store.Put(Of("a"), Of("2"));

        Assert.Equal(42, store.Range(Of("a"), [], 2).Kvs[0].Lease);
        Assert.Equal(0, store.Range(Of("a"), []).Kvs[0].Lease);
    }

    [Fact]
    public void Change_set_events_carry_the_key_as_it_was_before_the_transaction()
    {
        var store = new MvccStore();
        store.Put(Of("a"), Of("old"));
        var txn = store.BeginWrite();
        txn.Put(Of("a"), Of("new"));
        txn.DeleteRange(Of("a"), []);
        txn.Put(Of("b"), Of("created"));
        var changes = txn.End();

        var events = changes.Events;
        Assert.Equal(3, events.Count);
        Assert.Equal(Event.Types.EventType.Put, events[0].Type);
        Assert.Equal("old", Text(events[0].PrevKv.Value));
        Assert.Equal(Event.Types.EventType.Delete, events[1].Type);
        Assert.Equal(3, events[1].Kv.ModRevision);
        Assert.True(events[1].Kv.Value.IsEmpty);
        Assert.Equal("old", Text(events[1].PrevKv.Value));
        Assert.Null(events[2].PrevKv);
        Assert.Null(changes.CreateEvent(0, withPrevKv: false).PrevKv);
        Assert.Same(events, changes.Events);
    }

    [Fact]
    public void Read_events_replays_history_with_optional_previous_values()
    {
        var store = new MvccStore();
        store.Put(Of("a"), Of("1"));
        store.Put(Of("a"), Of("2"));
        store.DeleteRange(Of("a"), []);

        var all = store.ReadEvents(2, 4, withPrevKv: true);
        var tail = store.ReadEvents(3, 3);

        Assert.Equal(["PUT a=1", "PUT a=2", "DELETE a="], all.Select(e => $"{(e.Type == Event.Types.EventType.Put ? "PUT" : "DELETE")} {Text(e.Kv.Key)}={Text(e.Kv.Value)}"));
        Assert.Null(all[0].PrevKv);
        Assert.Equal("1", Text(all[1].PrevKv.Value));
        Assert.Equal("2", Text(all[2].PrevKv.Value));
        Assert.Null(Assert.Single(tail).PrevKv);
        store.Compact(3);
        Assert.Throws<RpcException>(() => store.ReadEvents(2, 4));
    }

    [Fact]
    public void Values_are_copied_from_spans()
    {
        var store = new MvccStore();
        var value = Of("original");
        store.Put(Of("a"), value);
        value[0] = (byte)'X';

        Assert.Equal("original", Text(store.Range(Of("a"), []).Kvs[0].Value));
    }
}
