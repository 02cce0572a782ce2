namespace ActorStore.Mvcc.Tests;

public sealed class KeyTreeTests
{
    private sealed class ByteOrder : IComparer<byte[]>
    {
        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }

    private static List<string> Scan(KeyTree tree, byte[] from)
    {
        var keys = new List<string>();
        var cursor = tree.Seek(from);
        while (cursor.MoveNext())
        {
            keys.Add(Convert.ToHexString(cursor.Current.Key));
        }

        return keys;
    }

    [Fact]
    public void Random_inserts_and_removes_match_a_sorted_set()
    {
        var random = new Random(1234);
        var tree = new KeyTree();
        var expected = new SortedSet<byte[]>(new ByteOrder());
        for (var step = 0; step < 40_000; step++)
        {
            var key = new byte[random.Next(0, 4)];
            random.NextBytes(key);
            if (random.Next(3) == 0)
            {
                Assert.Equal(expected.Remove(key), tree.Remove(key));
            }
            else
            {
                tree.GetOrAdd(key, out var added);
                Assert.Equal(expected.Add(key), added);
            }
        }

        Assert.Equal(expected.Count, tree.Count);
        Assert.Equal(expected.Select(Convert.ToHexString).ToList(), Scan(tree, []));
        var probe = new byte[] { 0x80 };
        Assert.Equal(expected.Where(k => k.AsSpan().SequenceCompareTo(probe) >= 0).Select(Convert.ToHexString).ToList(), Scan(tree, probe));
    }

    [Fact]
    public void Sequential_inserts_then_mass_removal_keep_order_and_lookups()
    {
        var tree = new KeyTree();
        for (var i = 0; i < 10_000; i++)
        {
            tree.GetOrAdd(BitConverter.GetBytes(i).Reverse().ToArray(), out _);
        }

        for (var i = 0; i < 10_000; i++)
        {
            if (i % 10 != 0)
            {
                Assert.True(tree.Remove(BitConverter.GetBytes(i).Reverse().ToArray()));
            }
        }

        Assert.Equal(1000, tree.Count);
        var keys = Scan(tree, []);
        Assert.Equal(1000, keys.Count);
        Assert.Equal(keys.OrderBy(k => k, StringComparer.Ordinal), keys);
        Assert.NotNull(tree.Get(BitConverter.GetBytes(500).Reverse().ToArray()));
        Assert.Null(tree.Get(BitConverter.GetBytes(501).Reverse().ToArray()));
    }

    [Fact]
    public void Bytes_compare_unsigned()
    {
        var tree = new KeyTree();
        tree.GetOrAdd([0xff], out _);
        tree.GetOrAdd([0x01], out _);
        tree.GetOrAdd([0x01, 0x00], out _);
        tree.GetOrAdd([], out _);

        Assert.Equal(["", "01", "0100", "FF"], Scan(tree, []));
    }

    [Fact]
    public void Get_or_add_returns_the_existing_index()
    {
        var tree = new KeyTree();
        var first = tree.GetOrAdd("k"u8, out var addedFirst);
        var second = tree.GetOrAdd("k"u8, out var addedSecond);

        Assert.True(addedFirst);
        Assert.False(addedSecond);
        Assert.Same(first, second);
        Assert.Equal(1, tree.Count);
    }
}
