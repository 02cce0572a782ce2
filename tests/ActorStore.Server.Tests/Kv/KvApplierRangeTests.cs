using ActorStore.Protocol.Errors;
using ActorStore.Server.Kv;
using Etcdserverpb;
using Xunit;
using static ActorStore.Server.Tests.Kv.Kv;
using SortOrder = Etcdserverpb.RangeRequest.Types.SortOrder;
using SortTarget = Etcdserverpb.RangeRequest.Types.SortTarget;

namespace ActorStore.Server.Tests.Kv;

/// <summary>Expected answers come from etcd 3.4.23 given the same history (through its JSON gateway).</summary>
public sealed class KvApplierRangeTests
{
    // a=2@2/9/2 b=5@3/3/1 c=3@4/8/3 d=3@5/5/1 e=2@6/6/1, current revision 9.
    private static KvApplier Seeded()
    {
        var applier = NewApplier();
        foreach (var (key, value) in new[] { ("a", "1"), ("b", "5"), ("c", "1"), ("d", "3"), ("e", "2"), ("c", "2"), ("c", "3"), ("a", "2") })
        {
            applier.Put(key, value);
        }

        return applier;
    }

    private static RangeResponse Read(KvApplier applier, Action<RangeRequest> configure)
    {
        var request = Range("a", "f");
        configure(request);
        return applier.Range(request);
    }

    [Fact]
    public void Sort_target_without_order_sorts_only_the_first_limit_plus_one_keys()
    {
        var response = Read(Seeded(), r => { r.SortTarget = SortTarget.Version; r.Limit = 2; });

        Assert.Equal("b=5@3/3/1 a=2@2/9/2", Describe(response.Kvs));
        Assert.True(response.More);
        Assert.Equal(5, response.Count);
        Assert.Equal(9, response.Header.Revision);
    }

    [Fact]
    public void Explicit_ascending_order_sorts_everything_before_the_limit()
    {
        var response = Read(Seeded(), r => { r.SortTarget = SortTarget.Version; r.SortOrder = SortOrder.Ascend; r.Limit = 2; });

        Assert.Equal("b,d", Keys(response.Kvs));
        Assert.True(response.More);
        Assert.Equal(5, response.Count);
    }

    [Theory]
    [InlineData(SortTarget.Version, SortOrder.Descend, 0, "c,a,b,d,e", false)]
    [InlineData(SortTarget.Key, SortOrder.Descend, 2, "e,d", true)]
    [InlineData(SortTarget.Key, SortOrder.Ascend, 2, "a,b", true)]
    [InlineData(SortTarget.Value, SortOrder.Descend, 0, "b,c,d,a,e", false)]
    [InlineData(SortTarget.Mod, SortOrder.None, 0, "b,d,e,c,a", false)]
    [InlineData(SortTarget.Create, SortOrder.Descend, 3, "e,d,c", true)]
    [InlineData(SortTarget.Key, SortOrder.None, -1, "a,b,c,d,e", false)]
    public void Sorts_like_etcd(SortTarget target, SortOrder order, long limit, string expectedKeys, bool more)
    {
        var response = Read(Seeded(), r => { r.SortTarget = target; r.SortOrder = order; r.Limit = limit; });

        Assert.Equal(expectedKeys, Keys(response.Kvs));
        Assert.Equal(more, response.More);
        Assert.Equal(5, response.Count);
    }

    [Fact]
    public void Keys_only_drops_values_and_keeps_the_rest()
    {
        var response = Read(Seeded(), r => { r.KeysOnly = true; r.Limit = 1; });

        var kv = Assert.Single(response.Kvs);
        Assert.True(kv.Value.IsEmpty);
        Assert.Equal(9, kv.ModRevision);
        Assert.Equal(2, kv.Version);
        Assert.True(response.More);
    }

    [Fact]
    public void Count_only_returns_the_count_alone()
    {
        var response = Read(Seeded(), r => { r.CountOnly = true; r.Limit = 1; });

        Assert.Empty(response.Kvs);
        Assert.Equal(5, response.Count);
        Assert.False(response.More);
    }

    [Fact]
    public void Revision_filters_prune_after_counting()
    {
        var applier = Seeded();

        var minMod = Read(applier, r => { r.MinModRevision = 6; r.Limit = 1; });
        var maxCreate = Read(applier, r => r.MaxCreateRevision = 3);
        var window = Read(applier, r => { r.MinCreateRevision = 3; r.MaxModRevision = 6; });

        Assert.Equal("a", Keys(minMod.Kvs));
        Assert.True(minMod.More);
        Assert.Equal(5, minMod.Count);
        Assert.Equal("a,b", Keys(maxCreate.Kvs));
        Assert.False(maxCreate.More);
        Assert.Equal(5, maxCreate.Count);
        Assert.Equal("b,d,e", Keys(window.Kvs));
    }

    [Fact]
    public void Reads_an_older_revision_with_the_current_header_revision()
    {
        var response = Read(Seeded(), r => r.Revision = 4);

        Assert.Equal("a=1@2/2/1 b=5@3/3/1 c=1@4/4/1", Describe(response.Kvs));
        Assert.Equal(3, response.Count);
        Assert.Equal(9, response.Header.Revision);
    }

    [Fact]
    public void Negative_revision_reads_the_current_one()
    {
        var response = Read(Seeded(), r => { r.Revision = -3; r.Limit = 1; });

        Assert.Equal("a", Keys(response.Kvs));
        Assert.Equal(5, response.Count);
    }

    [Fact]
    public void Future_and_compacted_revisions_fail()
    {
        var applier = Seeded();

        var future = Assert.Throws<RpcException>(() => Read(applier, r => r.Revision = 100));
        applier.Compact(new CompactionRequest { Revision = 5 });
        var compacted = Assert.Throws<RpcException>(() => Read(applier, r => r.Revision = 4));
        var atCompaction = Read(applier, r => r.Revision = 5);

        Assert.Equal(EtcdErrors.FutureRev.Message, future.Message);
        Assert.Equal(StatusCode.OutOfRange, future.Status);
        Assert.Equal(EtcdErrors.Compacted.Message, compacted.Message);
        Assert.Equal("a,b,c,d", Keys(atCompaction.Kvs));
    }

    [Fact]
    public void From_key_inverted_and_missing_ranges()
    {
        var applier = Seeded();

        var fromKey = applier.Range(Range("c", FromKey));
        var inverted = applier.Range(Range("c", "a"));
        var missing = applier.Range(Range("zz"));

        Assert.Equal("c,d,e", Keys(fromKey.Kvs));
        Assert.Equal(3, fromKey.Count);
        Assert.Empty(inverted.Kvs);
        Assert.Equal(0, inverted.Count);
        Assert.Empty(missing.Kvs);
        Assert.Equal(9, missing.Header.Revision);
    }

    [Fact]
    public void Sort_ties_keep_key_order_in_both_directions()
    {
        var applier = NewApplier();
        foreach (var key in new[] { "k1", "k2", "k3", "k4" })
        {
            applier.Put(key, "same");
        }

        var ascending = applier.Range(new RangeRequest { Key = B("k"), RangeEnd = B("l"), SortTarget = SortTarget.Value, SortOrder = SortOrder.Ascend });
        var descending = applier.Range(new RangeRequest { Key = B("k"), RangeEnd = B("l"), SortTarget = SortTarget.Value, SortOrder = SortOrder.Descend });

        Assert.Equal("k1,k2,k3,k4", Keys(ascending.Kvs));
        Assert.Equal("k1,k2,k3,k4", Keys(descending.Kvs));
    }
}
