using static ActorStore.Mvcc.Tests.Bytes;

namespace ActorStore.Mvcc.Tests;

/// <summary>The store's size by etcd's accounting: every record its key, value and 256 bytes; compaction gives back.</summary>
public sealed class StoredBytesTests
{
    [Fact]
    public void Every_write_adds_its_records_and_compaction_takes_the_dropped_ones_away()
    {
        var store = new MvccStore();
        Assert.Equal(0, store.StoredBytes);
        store.Put(Of("a"), Of("12345"));
        store.Put(Of("a"), Of("123"));
        store.Put(Of("bb"), Of("1"));
        Assert.Equal((256 + 1 + 5) + (256 + 1 + 3) + (256 + 2 + 1), store.StoredBytes);
        store.DeleteRange(Of("bb"), []);
        Assert.Equal((256 + 1 + 5) + (256 + 1 + 3) + (256 + 2 + 1) + (256 + 2), store.StoredBytes);

        store.Compact(store.CurrentRevision);

        Assert.Equal(256 + 1 + 3, store.StoredBytes);
    }

    [Fact]
    public void A_store_read_from_a_snapshot_or_from_records_counts_what_it_holds()
    {
        var store = new MvccStore();
        store.Put(Of("a"), Of(new string('x', 1000)));
        store.Put(Of("b"), Of("2"));
        store.DeleteRange(Of("a"), []);
        using var buffer = new MemoryStream();
        store.WriteSnapshot(buffer);

        var restored = MvccStore.ReadSnapshot(new MemoryStream(buffer.ToArray()));
        var rebuilt = MvccStore.FromRecords(store.CopyRecords(), store.CurrentRevision, store.CompactRevision);

        Assert.Equal(store.StoredBytes, restored.StoredBytes);
        Assert.Equal(store.StoredBytes, rebuilt.StoredBytes);
        Assert.Equal(store.CopyRecords().Sum(record => MvccStore.StorageCost(record)), store.StoredBytes);
    }
}
