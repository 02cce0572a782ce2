using Google.Protobuf;

namespace ActorStore.Mvcc.Tests;

public sealed class KeyIndexTests
{
    private static readonly ByteString Key = ByteString.CopyFromUtf8("k");

    private static RevisionRecord Put(long main, long sub = 0) =>
        RevisionRecord.Put(Key, new Revision(main, sub), ByteString.CopyFromUtf8($"v{main}"), 0, 1, 0);

    private static RevisionRecord Tomb(long main, long sub = 0) => RevisionRecord.Tombstone(Key, new Revision(main, sub));

    // Generations: [2, 4, 6(t)] [8, 10, 12(t)] [14, 14.1, 16] — a key written, deleted, rewritten, deleted, rewritten.
    private static KeyIndex Sample()
    {
        var index = new KeyIndex("k"u8.ToArray());
        index.Put(Put(2));
        index.Put(Put(4));
        index.Tombstone(Tomb(6));
        index.Put(Put(8));
        index.Put(Put(10));
        index.Tombstone(Tomb(12));
        index.Put(Put(14));
        index.Put(Put(14, 1));
        index.Put(Put(16));
        return index;
    }

    private static string Layout(KeyIndex index) =>
        string.Join(" | ", index.Generations.Select(g => string.Join(",", g.Records.Select(r => r.IsTombstone ? $"{r.Revision}t" : r.Revision.ToString()))));

    [Theory]
    [InlineData(1, null)]
    [InlineData(2, "2_0")]
    [InlineData(5, "4_0")]
    [InlineData(6, null)]
    [InlineData(7, null)]
    [InlineData(9, "8_0")]
    [InlineData(12, null)]
    [InlineData(14, "14_1")]
    [InlineData(100, "16_0")]
    public void Get_finds_the_version_visible_at_a_revision(long atRevision, string? expected)
    {
        Assert.Equal(expected, Sample().Get(atRevision)?.Revision.ToString());
    }

    [Fact]
    public void Tombstone_of_a_deleted_key_is_refused()
    {
        var index = new KeyIndex("k"u8.ToArray());
        index.Put(Put(2));
        index.Tombstone(Tomb(3));

        Assert.Throws<InvalidOperationException>(() => index.Tombstone(Tomb(4)));
        Assert.Throws<InvalidOperationException>(() => index.Put(Put(3)));
    }

    [Theory]
    [InlineData(1, "2_0,4_0,6_0t | 8_0,10_0,12_0t | 14_0,14_1,16_0,18_0t | ")]
    [InlineData(2, "2_0,4_0,6_0t | 8_0,10_0,12_0t | 14_0,14_1,16_0,18_0t | ")]
    [InlineData(5, "4_0,6_0t | 8_0,10_0,12_0t | 14_0,14_1,16_0,18_0t | ")]
    [InlineData(6, "8_0,10_0,12_0t | 14_0,14_1,16_0,18_0t | ")]
    [InlineData(7, "8_0,10_0,12_0t | 14_0,14_1,16_0,18_0t | ")]
    [InlineData(11, "10_0,12_0t | 14_0,14_1,16_0,18_0t | ")]
    [InlineData(12, "14_0,14_1,16_0,18_0t | ")]
    [InlineData(14, "14_1,16_0,18_0t | ")]
    [InlineData(16, "16_0,18_0t | ")]
    public void Compaction_keeps_the_newest_version_at_or_before_the_revision_unless_deleted(long atRevision, string expected)
    {
        var index = Sample();
        index.Tombstone(Tomb(18));

        index.Compact(atRevision);

        Assert.Equal(expected, Layout(index));
    }

    [Fact]
    public void Compaction_past_the_final_tombstone_empties_the_key()
    {
        var index = Sample();
        index.Tombstone(Tomb(18));
        var records = index.Generations.SelectMany(g => g.Records).ToList();

        index.Compact(18);

        Assert.True(index.IsEmpty);
        Assert.All(records, r => Assert.True(r.Dropped));
    }

    [Fact]
    public void Compaction_marks_dropped_records()
    {
        var index = Sample();
        var records = index.Generations.SelectMany(g => g.Records).ToList();

        index.Compact(9);

        Assert.Equal(["2_0", "4_0", "6_0"], records.Where(r => r.Dropped).Select(r => r.Revision.ToString()));
    }

    [Theory]
    [InlineData(1, null)]
    [InlineData(5, "4_0")]
    [InlineData(6, null)]
    [InlineData(9, "8_0")]
    [InlineData(14, "14_1")]
    [InlineData(20, "16_0")]
    public void Kept_at_names_the_record_a_compaction_would_keep(long atRevision, string? expected)
    {
        Assert.Equal(expected, Sample().KeptAt(atRevision)?.Revision.ToString());
    }
}
