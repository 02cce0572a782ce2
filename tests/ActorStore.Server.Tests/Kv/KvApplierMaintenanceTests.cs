using ActorStore.Protocol.Errors;
using Etcdserverpb;
using Xunit;
using static ActorStore.Server.Tests.Kv.Kv;

namespace ActorStore.Server.Tests.Kv;

public sealed class KvApplierMaintenanceTests
{
    [Fact]
    public void Compaction_answers_the_current_revision_and_rejects_repeats_and_future_revisions()
    {
        var applier = NewApplier();
        for (var i = 0; i < 8; i++)
        {
            applier.Put($"k{i}", "v");
        }

        var response = applier.Compact(new CompactionRequest { Revision = 3, Physical = true });
        var again = Assert.Throws<RpcException>(() => applier.Compact(new CompactionRequest { Revision = 3 }));
        var future = Assert.Throws<RpcException>(() => applier.Compact(new CompactionRequest { Revision = 1000 }));

        Assert.Equal(9, response.Header.Revision);
        Assert.Equal(EtcdErrors.Compacted.Message, again.Message);
        Assert.Equal(EtcdErrors.FutureRev.Message, future.Message);
        Assert.Equal(3, applier.Store.CompactRevision);
    }

    [Fact]
    public void HashKV_reports_hash_compact_and_current_revisions()
    {
        var applier = NewApplier();

        var empty = applier.HashKV(new HashKVRequest());
        applier.Put("a", "1");
        applier.Compact(new CompactionRequest { Revision = 2 });
        var compacted = Assert.Throws<RpcException>(() => applier.HashKV(new HashKVRequest { Revision = 2 }));
        var afterPut = applier.HashKV(new HashKVRequest());

        // The empty keyspace's hash as etcd 3.4.23 reports it.
        Assert.Equal(1084519789u, empty.Hash);
        Assert.Equal(-1, empty.CompactRevision);
        Assert.Equal(1, empty.Header.Revision);
        Assert.Equal(EtcdErrors.Compacted.Message, compacted.Message);
        Assert.Equal(2, afterPut.CompactRevision);
        Assert.Equal(2, afterPut.Header.Revision);
    }

    [Fact]
    public void Hash_changes_with_every_write()
    {
        var applier = NewApplier();
        var before = applier.Hash();
        applier.Put("a", "1");
        var after = applier.Hash();

        Assert.NotEqual(before.Hash, after.Hash);
        Assert.Equal(2, after.Header.Revision);
    }
}
