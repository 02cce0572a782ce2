using static ActorStore.Mvcc.Tests.Bytes;

namespace ActorStore.Mvcc.Tests;

public sealed class SnapshotTests
{
    private static MvccStore Sample()
    {
        var store = new MvccStore();
        store.Put(Of("a"), Of("1"), lease: 9);
        store.Put(Of("b"), []);
        store.Put(Of("a"), Of("2"));
        store.DeleteRange(Of("b"), []);
        var txn = store.BeginWrite();
        txn.Put(Of("c"), Of(new string('x', 70_000)));
        txn.Put(Of("d"), Of("4"));
        txn.End();
        store.Compact(4);
        store.DeleteRange(Of("a"), []);
        return store;
    }

    internal static byte[] Snapshot(MvccStore store) => Written(store.WriteSnapshot);

    internal static byte[] Written(Action<Stream> write)
    {
        using var buffer = new MemoryStream();
        write(buffer);
        return buffer.ToArray();
    }

    [Fact]
    public void Round_trip_restores_every_readable_revision_and_both_hashes()
    {
        var original = Sample();

        var restored = MvccStore.ReadSnapshot(new MemoryStream(Snapshot(original)));

        Assert.Equal(original.CurrentRevision, restored.CurrentRevision);
        Assert.Equal(original.CompactRevision, restored.CompactRevision);
        Assert.Equal(original.RecordCount, restored.RecordCount);
        Assert.Equal(original.Hash(), restored.Hash());
        Assert.Equal(original.HashKV(0), restored.HashKV(0));
        for (var revision = original.CompactRevision; revision <= original.CurrentRevision; revision++)
        {
            Assert.Equal(
                original.Range([0], [0], revision).Kvs,
                restored.Range([0], [0], revision).Kvs);
        }

        // The restored store keeps working: the next write gets the next revision.
        Assert.Equal(original.CurrentRevision + 1, restored.Put(Of("e"), Of("5")));
    }

    [Fact]
    public void Same_state_gives_the_same_bytes()
    {
        Assert.Equal(Snapshot(Sample()), Snapshot(Sample()));
        var restored = MvccStore.ReadSnapshot(new MemoryStream(Snapshot(Sample())));
        Assert.Equal(Snapshot(Sample()), Snapshot(restored));
    }

    [Fact]
    public void Empty_store_round_trips()
    {
        var restored = MvccStore.ReadSnapshot(new MemoryStream(Snapshot(new MvccStore())));

        Assert.Equal(1, restored.CurrentRevision);
        Assert.Equal(-1, restored.CompactRevision);
        Assert.Equal(0, restored.RecordCount);
    }

    [Fact]
    public void Reading_stops_at_the_end_of_the_snapshot()
    {
        var bytes = Snapshot(Sample());
        var stream = new MemoryStream([.. bytes, 1, 2, 3]);

        MvccStore.ReadSnapshot(stream);

        Assert.Equal(bytes.Length, stream.Position);
    }

    [Fact]
    public void Bad_magic_is_rejected()
    {
        var bytes = Snapshot(Sample());
        bytes[0] = (byte)'X';

        var error = Assert.Throws<InvalidDataException>(() => MvccStore.ReadSnapshot(new MemoryStream(bytes)));
        Assert.Contains("magic", error.Message);
    }

    [Fact]
    public void Unknown_format_version_is_rejected()
    {
        var bytes = Snapshot(Sample());
        bytes[8] = 99;

        var error = Assert.Throws<InvalidDataException>(() => MvccStore.ReadSnapshot(new MemoryStream(bytes)));
        Assert.Contains("version", error.Message);
    }

    [Fact]
    public void Any_flipped_byte_is_detected()
    {
        var bytes = Snapshot(Sample());
        for (var position = 12; position < bytes.Length; position += 997)
        {
            var corrupt = (byte[])bytes.Clone();
            corrupt[position] ^= 0x40;

            Assert.Throws<InvalidDataException>(() => MvccStore.ReadSnapshot(new MemoryStream(corrupt)));
        }
    }

    [Fact]
    public void Truncated_snapshot_is_rejected()
    {
        var bytes = Snapshot(Sample());

        foreach (var length in new[] { 0, 5, 30, bytes.Length / 2, bytes.Length - 1 })
        {
            var error = Assert.Throws<InvalidDataException>(() => MvccStore.ReadSnapshot(new MemoryStream(bytes[..length])));
            Assert.StartsWith("Invalid MVCC snapshot", error.Message);
        }
    }
}
