using ActorStore.Persistence;
using ActorStore.Protocol.Errors;
using static ActorStore.Mvcc.Tests.Bytes;

namespace ActorStore.Mvcc.Tests;

/// <summary>The expected hashes were produced by etcd 3.4.23 for the same history (etcdctl endpoint hashkv).</summary>
public sealed class HashKVTests
{
    private const long Lease = 755938424321350668;

    private static MvccStore BuildEtcdScenario()
    {
        var store = new MvccStore();
        store.Put(Of("a"), Of("1"));
        store.Put(Of("b"), Of("2"));
        store.Put(Of("a"), Of("3"));
        store.DeleteRange(Of("a"), []);
        store.Put(Of("a"), Of("4"));
        var txn = store.BeginWrite();
        txn.Put(Of("c"), Of("5"));
        txn.Put(Of("d"), Of("6"));
        txn.End();
        store.DeleteRange(Of("c"), Of("e"));
        store.Put(Of("e"), Of("7"), Lease);
        store.Put(Of("f"), []);
        store.Put(Of("g"), Of(new string('x', 300)));
        return store;
    }

    [Fact]
    public void Empty_store_hashes_the_bucket_name_only()
    {
        var result = new MvccStore().HashKV(0);

        Assert.Equal(1084519789u, result.Hash);
        Assert.Equal(-1, result.CompactRevision);
        Assert.Equal(1, result.CurrentRevision);
    }

    [Theory]
    [InlineData(0, 3315312459u)]
    [InlineData(1, 1084519789u)]
    [InlineData(2, 2587454935u)]
    [InlineData(3, 1827592406u)]
    [InlineData(4, 2069675932u)]
    [InlineData(5, 1346927904u)]
    [InlineData(6, 243047511u)]
    [InlineData(7, 157164277u)]
    [InlineData(8, 2763317716u)]
    [InlineData(9, 3470667320u)]
    [InlineData(10, 3161149486u)]
    [InlineData(11, 3315312459u)]
    public void Matches_etcd_before_any_compaction(long revision, uint expected)
    {
        var result = BuildEtcdScenario().HashKV(revision);

        Assert.Equal(expected, result.Hash);
        Assert.Equal(-1, result.CompactRevision);
        Assert.Equal(11, result.CurrentRevision);
    }

    [Theory]
    [InlineData(0, 1987342887u)]
    [InlineData(6, 3059177743u)]
    [InlineData(7, 3478674892u)]
    [InlineData(8, 930118738u)]
    [InlineData(9, 806850654u)]
    [InlineData(10, 2112866640u)]
    [InlineData(11, 1987342887u)]
    public void Matches_etcd_after_compacting_at_5(long revision, uint expected)
    {
        var store = BuildEtcdScenario();
        store.Compact(5);

        var result = store.HashKV(revision);

        Assert.Equal(expected, result.Hash);
        Assert.Equal(5, result.CompactRevision);
    }

    [Theory]
    [InlineData(0, 3412784693u)]
    [InlineData(9, 1101578332u)]
    [InlineData(10, 2505833815u)]
    [InlineData(11, 3412784693u)]
    public void Matches_etcd_after_compacting_at_5_then_8(long revision, uint expected)
    {
        var store = BuildEtcdScenario();
        store.Compact(5);
        store.Compact(8);

        Assert.Equal(expected, store.HashKV(revision).Hash);
    }

    [Fact]
    public void Matches_etcd_after_deleting_and_compacting_at_the_current_revision()
    {
        var store = BuildEtcdScenario();
        store.Compact(5);
        store.Compact(8);
        store.DeleteRange(Of("a"), []);
        store.Compact(12);

        var result = store.HashKV(0);

        Assert.Equal(3878830574u, result.Hash);
        Assert.Equal(12, result.CompactRevision);
        Assert.Equal(12, result.CurrentRevision);
    }

    [Fact]
    public void Matches_etcd_when_the_keep_set_is_empty_or_not()
    {
        var store = new MvccStore();
        store.Put(Of("a"), Of("1"));
        store.Compact(2);
        store.DeleteRange(Of("a"), []);
        Assert.Equal(3520211144u, store.HashKV(0).Hash);

        store.Put(Of("b"), Of("1"));
        Assert.Equal(20294999u, store.HashKV(0).Hash);
        Assert.Equal(3520211144u, store.HashKV(3).Hash);

        var txn = store.BeginWrite();
        txn.Put(Of("c"), Of("1"));
        txn.Put(Of("d"), Of("2"));
        txn.DeleteRange(Of("b"), []);
        txn.End();
        Assert.Equal(1957800645u, store.HashKV(0).Hash);

        store.Compact(5);
        var result = store.HashKV(0);
        Assert.Equal(118101594u, result.Hash);
        Assert.Equal(5, result.CompactRevision);
        Assert.Equal(5, result.CurrentRevision);
    }

    [Fact]
    public void Revision_at_or_before_the_compaction_is_compacted_and_beyond_current_is_future()
    {
        var store = BuildEtcdScenario();
        store.Compact(5);

        var compacted = Assert.Throws<RpcException>(() => store.HashKV(5));
        var future = Assert.Throws<RpcException>(() => store.HashKV(12));

        Assert.Equal(EtcdErrors.Compacted.Message, compacted.Message);
        Assert.Equal(EtcdErrors.FutureRev.Message, future.Message);
    }

    [Fact]
    public void Hash_is_deterministic_and_sensitive_to_content()
    {
        var first = BuildEtcdScenario();
        var second = BuildEtcdScenario();
        var hash = first.Hash();

        Assert.Equal(hash, second.Hash());
        second.Put(Of("z"), Of("1"));
        Assert.NotEqual(hash, second.Hash());
        first.Compact(5);
        Assert.NotEqual(hash, first.Hash());
    }

    [Fact]
    public void Crc32C_matches_the_standard_check_value()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
    }
}
