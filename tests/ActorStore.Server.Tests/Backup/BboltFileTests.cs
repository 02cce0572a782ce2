using System.Buffers.Binary;
using System.Text;
using ActorStore.Server.Backup.Bbolt;
using Xunit;

namespace ActorStore.Server.Tests.Backup;

public sealed class BboltFileTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"bbolt-{Guid.NewGuid():N}.db");

    public void Dispose() => File.Delete(_path);

    [Theory]
    [InlineData(4096, 0)]
    [InlineData(4096, 3)]
    [InlineData(4096, 5_000)]
    [InlineData(1024, 20_000)]
    public void Buckets_read_back_as_written_whatever_their_size(int pageSize, int keyCount)
    {
        var buckets = new SortedDictionary<string, List<KeyValuePair<byte[], byte[]>>>(StringComparer.Ordinal)
        {
            ["empty"] = [],
            ["key"] = Items(keyCount, valueSize: 60),
            ["small"] = Items(3, valueSize: 10),
            ["wide"] = Items(40, valueSize: 3 * pageSize),
        };
        Write(pageSize, buckets);

        using var reader = BboltReader.Open(_path);

        Assert.Equal(pageSize, reader.PageSize);
        Assert.Equal(buckets.Keys, reader.BucketNames().Select(name => Encoding.ASCII.GetString(name)));
        foreach (var (name, items) in buckets)
        {
            var read = reader.Items(Encoding.ASCII.GetBytes(name)).ToList();
            Assert.Equal(items.Select(item => item.Key), read.Select(item => item.Key));
            Assert.Equal(items.Select(item => item.Value), read.Select(item => item.Value));
        }

        Assert.Equal((long)reader.PageCount * pageSize, new FileInfo(_path).Length);
    }

    [Fact]
    public void Bytes_after_the_last_page_are_ignored_and_a_damaged_meta_falls_back_to_the_other()
    {
        Write(4096, new SortedDictionary<string, List<KeyValuePair<byte[], byte[]>>>(StringComparer.Ordinal) { ["key"] = Items(10, 8) });
        using (var file = File.Open(_path, FileMode.Append))
        {
            file.Write(new byte[32]);
        }

        using (var file = File.Open(_path, FileMode.Open))
        {
            // The newer meta (page 1) loses its checksum.
            file.Position = 4096 + 16 + 56;
            file.Write(new byte[8]);
        }

        using var reader = BboltReader.Open(_path);

        Assert.Equal(0UL, reader.TxId);
        Assert.Equal(10, reader.Items("key"u8).Count());
    }

    [Fact]
    public void Keys_out_of_order_are_refused()
    {
        using var file = File.Create(_path);
        var writer = new BboltWriter(file);

        Assert.Throws<ArgumentException>(() => writer.AddBucket("key"u8, Items(200, 10).AsEnumerable().Reverse()));
    }

    [Fact]
    public void A_file_that_is_not_bbolt_is_refused()
    {
        File.WriteAllBytes(_path, new byte[8192]);

        Assert.Throws<InvalidDataException>(() => BboltReader.Open(_path));
    }

    private void Write(int pageSize, SortedDictionary<string, List<KeyValuePair<byte[], byte[]>>> buckets)
    {
        using var file = File.Create(_path);
        var writer = new BboltWriter(file, pageSize);
        foreach (var (name, items) in buckets)
        {
            writer.AddBucket(Encoding.ASCII.GetBytes(name), items);
        }

        writer.Finish();
    }

    private static List<KeyValuePair<byte[], byte[]>> Items(int count, int valueSize) =>
        Enumerable.Range(0, count).Select(i =>
        {
            var key = new byte[8];
            BinaryPrimitives.WriteInt64BigEndian(key, i);
            var value = new byte[valueSize];
            new Random(i).NextBytes(value);
            return new KeyValuePair<byte[], byte[]>(key, value);
        }).ToList();
}
