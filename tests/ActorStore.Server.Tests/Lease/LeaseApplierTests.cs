using ActorStore.Mvcc;
using ActorStore.Protocol.Errors;
using ActorStore.Server.Apply;
using ActorStore.Server.Kv;
using ActorStore.Server.Lease;
using ActorStore.Server.Membership;
using Etcdserverpb;
using Google.Protobuf;
using Xunit;

namespace ActorStore.Server.Tests.Lease;

public sealed class LeaseApplierTests
{
    private readonly MvccStore _store = new();
    private readonly LeaseTable _table = new();
    private readonly LeaseApplier _leases;
    private readonly KvApplier _kv;

    public LeaseApplierTests()
    {
        _store.Committed += _table.Track;
        _leases = new LeaseApplier(_store, _table, minTtl: 2);
        _kv = new KvApplier(_store, _table.Contains);
    }

    [Fact]
    public void The_minimum_ttl_is_one_and_a_half_election_timeouts_rounded_up_to_seconds()
    {
        Assert.Equal(2, LeaseApplier.MinTtlFor(TimeSpan.FromMilliseconds(100), 10));
        Assert.Equal(1, LeaseApplier.MinTtlFor(TimeSpan.FromMilliseconds(10), 10));
        Assert.Equal(15, LeaseApplier.MinTtlFor(TimeSpan.FromMilliseconds(1000), 10));
    }

    [Fact]
    public void A_grant_is_raised_to_the_minimum_ttl_and_refuses_taken_ids_and_huge_ttls()
    {
        Assert.Equal(2, _leases.Grant(new LeaseGrantRequest { ID = 1, TTL = 1 }).TTL);
        Assert.Equal(60, _leases.Grant(new LeaseGrantRequest { ID = 2, TTL = 60 }).TTL);
        Assert.Equal(EtcdErrors.LeaseExist.Message, Assert.Throws<RpcException>(() => _leases.Grant(new LeaseGrantRequest { ID = 1, TTL = 5 })).Message);
        Assert.Equal(EtcdErrors.LeaseTTLTooLarge.Message,
            Assert.Throws<RpcException>(() => _leases.Grant(new LeaseGrantRequest { ID = 3, TTL = LeaseApplier.MaxTtl + 1 })).Message);
        Assert.Equal(2, _table.Count);
    }

    [Fact]
    public void Keys_follow_their_lease_through_puts_and_deletes()
    {
        _leases.Grant(new LeaseGrantRequest { ID = 1, TTL = 10 });
        _leases.Grant(new LeaseGrantRequest { ID = 2, TTL = 10 });
        Put("a", 1);
        Put("b", 1);
        Put("c", 2);
        Assert.Equal(["a", "b"], Keys(1));

        Put("b", 2);
        Put("a", 0);
        _kv.DeleteRange(new DeleteRangeRequest { Key = ByteString.CopyFromUtf8("c") });

        Assert.Empty(Keys(1));
        Assert.Equal(["b"], Keys(2));
        Assert.Equal(EtcdErrors.LeaseNotFound.Message, Assert.Throws<RpcException>(() => Put("x", 9)).Message);
    }

    [Fact]
    public void A_revoke_deletes_every_attached_key_in_one_revision()
    {
        _leases.Grant(new LeaseGrantRequest { ID = 7, TTL = 10 });
        Put("k1", 7);
        Put("k2", 7);
        Put("other", 0);
        var before = _store.CurrentRevision;

        var response = _leases.Revoke(new LeaseRevokeRequest { ID = 7 });

        Assert.Equal(before + 1, response.Header.Revision);
        Assert.Equal(1, _store.Range([0], [0]).Count);
        Assert.False(_table.Contains(7));
        var events = _store.ReadEvents(before + 1, before + 1);
        Assert.Equal(2, events.Count);
        Assert.Equal(EtcdErrors.LeaseNotFound.Message, Assert.Throws<RpcException>(() => _leases.Revoke(new LeaseRevokeRequest { ID = 7 })).Message);
    }

    [Fact]
    public void A_revoke_without_keys_takes_no_revision()
    {
        _leases.Grant(new LeaseGrantRequest { ID = 7, TTL = 10 });
        var before = _store.CurrentRevision;
        Assert.Equal(before, _leases.Revoke(new LeaseRevokeRequest { ID = 7 }).Header.Revision);
    }

    [Fact]
    public void Leases_and_their_keys_survive_a_state_machine_snapshot()
    {
        _leases.Grant(new LeaseGrantRequest { ID = 5, TTL = 30 });
        _leases.Grant(new LeaseGrantRequest { ID = 6, TTL = 40 });
        Put("p", 5);
        Put("q", 6);
        Put("r", 5);

        var (store, _, leases, _) = StateMachineSnapshot.Read(StateMachineSnapshot.Write(_store, new ClusterMembership(1), _table));

        Assert.Equal(_store.CurrentRevision, store.CurrentRevision);
        Assert.Equal([(5L, 30L), (6L, 40L)], leases.Leases.Select(lease => (lease.Id, lease.Ttl)).Order());
        Assert.Equal(["p", "r"], leases.Find(5)!.Keys.Select(key => key.ToStringUtf8()));
        Assert.Equal(["q"], leases.Find(6)!.Keys.Select(key => key.ToStringUtf8()));
    }

    private void Put(string key, long lease) =>
        _kv.Put(new PutRequest { Key = ByteString.CopyFromUtf8(key), Value = ByteString.CopyFromUtf8("v"), Lease = lease });

    private string[] Keys(long lease) => _table.Find(lease)!.Keys.Select(key => key.ToStringUtf8()).ToArray();
}
