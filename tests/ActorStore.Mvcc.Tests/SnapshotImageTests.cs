using System.Security.Cryptography;
using static ActorStore.Mvcc.Tests.Bytes;

namespace ActorStore.Mvcc.Tests;

/// <summary>A snapshot is written from a captured image of the store: the bytes of the capture's moment, in the one format.</summary>
public sealed class SnapshotImageTests
{
    // The SHA-256 of Varied()'s snapshot as the key-index walk wrote it before snapshots were written from images.
    private const string VariedSnapshotDigest = "91873A053A4C610BBC5C3CAAC769E2B3103ECBDCF284659A4678BE016BC705D5";

    /// <summary>Generations ended and begun again, compacted ones, a key that is a prefix of others, empty and large values.</summary>
    private static MvccStore Varied()
    {
        var store = new MvccStore();
        store.Put(Of("k"), Of("1"), lease: 7);
        store.Put(Of("k1"), []);
        store.Put(Of("k"), Of("2"));
        store.DeleteRange(Of("k1"), []);
        store.Put(Of("k1"), Of("again"));
        var txn = store.BeginWrite();
        txn.Put(Of("big"), Of(new string('x', 70_000)));
        txn.Put(Of("k\u00ff"), Of("high byte"));
        txn.Put(Of("a"), Of("first"));
        txn.End();
        store.DeleteRange(Of("a"), []);
        store.DeleteRange(Of("k"), []);
        store.Compact(6);
        store.Put(Of("k"), Of("3"));
        store.DeleteRange(Of("k"), []);
        store.Put(Of("k"), Of("4"), lease: 8);
        return store;
    }

    private static byte[] Snapshot(MvccStore store) => SnapshotTests.Snapshot(store);

    private static byte[] Snapshot(MvccStoreImage image) => SnapshotTests.Written(image.WriteSnapshot);

    [Fact]
    public void The_format_is_the_one_the_key_index_walk_wrote()
    {
        Assert.Equal(VariedSnapshotDigest, Convert.ToHexString(SHA256.HashData(Snapshot(Varied()))));
    }

    [Fact]
    public void An_image_keeps_the_moment_of_its_capture_through_later_writes_deletions_and_compactions()
    {
        var store = Varied();
        var atCapture = Snapshot(store);
        var image = store.Capture();

        store.Put(Of("k"), Of("5"));
        store.Put(Of("new"), Of("later"));
        store.DeleteRange(Of("k1"), []);
        store.Compact(store.CurrentRevision);

        Assert.Equal(atCapture, Snapshot(image));
    }

    [Fact]
    public void Records_grouped_by_the_captured_key_order_or_by_key_content_give_the_same_bytes()
    {
        var image = Varied().Capture();
        var expected = Snapshot(image);
        Assert.Equal(image.Records.Sum(record => (long)record.Key.Length + record.Value.Length), image.RecordBytes);

        Assert.Equal(expected, Snapshot(new MvccStoreImage(image.Records, image.CurrentRevision, image.CompactRevision)));
        // A store built from another's records does not share its key indexes' key bytes with them: grouped by content.
        Assert.Equal(expected, Snapshot(MvccStore.FromRecords(image.Records, image.CurrentRevision, image.CompactRevision)));
    }

    [Fact]
    public void An_empty_store_writes_and_reads_back()
    {
        var restored = MvccStore.ReadSnapshot(new MemoryStream(Snapshot(new MvccStore().Capture())));

        Assert.Equal(1, restored.CurrentRevision);
        Assert.Equal(0, restored.IndexedKeyCount);
    }
}
