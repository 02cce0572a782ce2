using ActorStore.Protocol.Errors;
using Etcdserverpb;
using Mvccpb;
using Xunit;
using static ActorStore.Server.Tests.Kv.Kv;

namespace ActorStore.Server.Tests.Kv;

/// <summary>Put and DeleteRange, with the answers etcd 3.4.23 gave for the same requests.</summary>
public sealed class KvApplierWriteTests
{
    [Fact]
    public void First_put_gets_revision_2_and_versions_count_up()
    {
        var applier = NewApplier();

        Assert.Equal(2, applier.Put("a", "1").Header.Revision);
        Assert.Equal(3, applier.Put("a", "2").Header.Revision);
        Assert.Equal("a=2@2/3/2", Describe(applier.Range(Range("a")).Kvs));
    }

    [Fact]
    public void Prev_kv_returns_the_replaced_value_and_nothing_for_a_new_key()
    {
        var applier = NewApplier();
        applier.Put("a", "2");

        var replaced = applier.Put(new PutRequest { Key = B("a"), Value = B("9"), PrevKv = true });
        var created = applier.Put(new PutRequest { Key = B("n"), Value = B("9"), PrevKv = true });

        Assert.Equal("a=2@2/2/1", Describe([replaced.PrevKv]));
        Assert.Equal(3, replaced.Header.Revision);
        Assert.Null(created.PrevKv);
        Assert.Equal(4, created.Header.Revision);
    }

    [Fact]
    public void Ignore_value_keeps_the_value_and_bumps_the_version()
    {
        var applier = NewApplier();
        applier.Put("a", "9");

        var response = applier.Put(new PutRequest { Key = B("a"), IgnoreValue = true, PrevKv = true });

        Assert.Equal("a=9@2/2/1", Describe([response.PrevKv]));
        Assert.Equal("a=9@2/3/2", Describe(applier.Range(Range("a")).Kvs));
    }

    [Fact]
    public void Ignore_lease_keeps_the_lease()
    {
        var applier = NewApplier(leases: 42);
        applier.Put("a", "1", lease: 42);

        applier.Put(new PutRequest { Key = B("a"), Value = B("2"), IgnoreLease = true });

        var kv = Assert.Single(applier.Range(Range("a")).Kvs);
        Assert.Equal(42, kv.Lease);
        Assert.Equal("2", kv.Value.ToStringUtf8());
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void Ignoring_value_or_lease_of_a_missing_key_is_key_not_found_and_writes_nothing(bool ignoreValue, bool ignoreLease)
    {
        var applier = NewApplier();

        var error = Assert.Throws<RpcException>(() =>
            applier.Put(new PutRequest { Key = B("zz"), IgnoreValue = ignoreValue, IgnoreLease = ignoreLease }));

        Assert.Equal(EtcdErrors.KeyNotFound.Message, error.Message);
        Assert.Equal(StatusCode.InvalidArgument, error.Status);
        Assert.Equal(1, applier.Store.CurrentRevision);
    }

    [Fact]
    public void Unknown_lease_is_lease_not_found_before_the_key_is_looked_at()
    {
        var applier = NewApplier();

        var error = Assert.Throws<RpcException>(() =>
            applier.Put(new PutRequest { Key = B("zz"), IgnoreValue = true, Lease = 5 }));

        Assert.Equal(EtcdErrors.LeaseNotFound.Message, error.Message);
        Assert.Equal(StatusCode.NotFound, error.Status);
        Assert.Equal(1, applier.Store.CurrentRevision);
    }

    [Fact]
    public void Known_lease_is_stored_on_the_key()
    {
        var applier = NewApplier(leases: 7);

        applier.Put("a", "1", lease: 7);

        Assert.Equal(7, Assert.Single(applier.Range(Range("a")).Kvs).Lease);
    }

    [Fact]
    public void Delete_range_with_prev_kv_then_nothing_left_keeps_the_revision()
    {
        var applier = NewApplier();
        applier.Put("d", "3");
        applier.Put("e", "2");

        var deleted = applier.DeleteRange(new DeleteRangeRequest { Key = B("d"), RangeEnd = B("f"), PrevKv = true });
        var none = applier.DeleteRange(new DeleteRangeRequest { Key = B("d"), RangeEnd = B("f"), PrevKv = true });

        Assert.Equal(2, deleted.Deleted);
        Assert.Equal(4, deleted.Header.Revision);
        Assert.Equal("d=3@2/2/1 e=2@3/3/1", Describe(deleted.PrevKvs));
        Assert.Equal(0, none.Deleted);
        Assert.Empty(none.PrevKvs);
        Assert.Equal(4, none.Header.Revision);
    }

    [Fact]
    public void Delete_from_key_removes_everything_after()
    {
        var applier = NewApplier();
        applier.Put("a", "1");
        applier.Put("m", "1");
        applier.Put("z", "1");

        var response = applier.DeleteRange(new DeleteRangeRequest { Key = B("m"), RangeEnd = B(FromKey) });

        Assert.Equal(2, response.Deleted);
        Assert.Equal("a", Keys(applier.Range(Range("\0", FromKey)).Kvs));
    }

    [Fact]
    public void Recreated_key_starts_a_new_generation()
    {
        var applier = NewApplier();
        applier.Put("a", "1");
        applier.Put("a", "2");
        applier.DeleteRange(new DeleteRangeRequest { Key = B("a") });
        applier.Put("a", "3");

        Assert.Equal("a=3@5/5/1", Describe(applier.Range(Range("a")).Kvs));
        Assert.Empty(applier.Range(new RangeRequest { Key = B("a"), Revision = 4 }).Kvs);
        Assert.Equal("a=2@2/3/2", Describe(applier.Range(new RangeRequest { Key = B("a"), Revision = 3 }).Kvs));
    }

    [Fact]
    public void Writes_raise_one_committed_change_set_with_events()
    {
        var applier = NewApplier();
        applier.Put("a", "1");
        var seen = new List<Mvcc.MvccChangeSet>();
        applier.Store.Committed += seen.Add;

        applier.Put("a", "2");
        applier.DeleteRange(new DeleteRangeRequest { Key = B("a") });
        applier.DeleteRange(new DeleteRangeRequest { Key = B("a") });

        Assert.Equal(2, seen.Count);
        var put = Assert.Single(seen[0].Events);
        Assert.Equal(Event.Types.EventType.Put, put.Type);
        Assert.Equal("a=2@2/3/2", Describe([put.Kv]));
        Assert.Equal("a=1@2/2/1", Describe([put.PrevKv]));
        var delete = Assert.Single(seen[1].Events);
        Assert.Equal(Event.Types.EventType.Delete, delete.Type);
        Assert.Equal(4, delete.Kv.ModRevision);
        Assert.Equal(0, delete.Kv.Version);
        Assert.Equal("a=2@2/3/2", Describe([delete.PrevKv]));
    }
}
