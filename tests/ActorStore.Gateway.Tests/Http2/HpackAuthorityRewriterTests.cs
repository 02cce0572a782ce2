using System.Buffers;
using ActorStore.Gateway.Http2;
using Xunit;
using static ActorStore.Gateway.Tests.Http2.HpackBlockBuilder;
using static ActorStore.Gateway.Tests.Http2.Http2TestFrames;

namespace ActorStore.Gateway.Tests.Http2;

public sealed class HpackAuthorityRewriterTests
{
    private const int Authority = 1;
    private const int Path = 4;
    private const int UserAgent = 58;

    /// <summary>The header block etcdctl 3.4.23 sent for `endpoint status` to http://127.0.0.1:46099 (captured).</summary>
    private const string EtcdctlBlockHex =
        "8386459760a924882d9dcb6571afa066a925a87510ac6e48d36a3f41909d29aee30c044eae05c0b86e34e01f7f5f8b1d75d0620d263d" +
        "4c4d65647a8b9acac8b4c7602bb2caecff40027465864d833505b11f40899acac8b24d494f6a7f860befbce8036f408d25062d4958" +
        "75996ee5b1063d5f03332e34";

    [Theory]
    [InlineData(IncrementalIndexing)]
    [InlineData(WithoutIndexing)]
    [InlineData(NeverIndexed)]
    public void Repairs_a_literal_authority_and_keeps_its_representation(byte kind)
    {
        var block = new HpackBlockBuilder().Indexed(2).Indexed(6)
            .Literal(kind, Authority, "http://127.0.0.1:2379")
            .Literal(IncrementalIndexing, UserAgent, "grpc-go/1.26.0").ToArray();
        var expected = new HpackBlockBuilder().Indexed(2).Indexed(6)
            .Literal(kind, Authority, "127.0.0.1:2379")
            .Literal(IncrementalIndexing, UserAgent, "grpc-go/1.26.0").ToArray();

        var (result, output) = Rewrite(block);

        Assert.Equal(HeaderBlockRewriteResult.AuthorityRepaired, result);
        Assert.Equal(expected, output);
    }

    [Fact]
    public void Decodes_a_huffman_value_and_writes_the_repair_as_a_plain_string()
    {
        var block = new HpackBlockBuilder().Indexed(3)
            .Literal(IncrementalIndexing, Authority, "https://10.1.2.3:2379", huffman: true)
            .Literal(WithoutIndexing, Path, "/etcdserverpb.KV/Range", huffman: true).ToArray();
        var expected = new HpackBlockBuilder().Indexed(3)
            .Literal(IncrementalIndexing, Authority, "10.1.2.3:2379", huffman: false)
            .Literal(WithoutIndexing, Path, "/etcdserverpb.KV/Range", huffman: true).ToArray();

        var (result, output) = Rewrite(block);

        Assert.Equal(HeaderBlockRewriteResult.AuthorityRepaired, result);
        Assert.Equal(expected, output);
    }

    [Theory]
    [InlineData("http://127.0.0.1:2379/", "127.0.0.1:2379")]
    [InlineData("http://localhost:2379/v3/kv/range", "localhost:2379")]
    [InlineData("127.0.0.1:2379/some/path", "127.0.0.1:2379")]
    public void Strips_paths(string value, string repaired)
    {
        var (result, output) = Rewrite(new HpackBlockBuilder().Literal(IncrementalIndexing, Authority, value).ToArray());

        Assert.Equal(HeaderBlockRewriteResult.AuthorityRepaired, result);
        Assert.Equal(new HpackBlockBuilder().Literal(IncrementalIndexing, Authority, repaired).ToArray(), output);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void Recognises_an_authority_name_spelled_out(bool huffmanName, bool huffmanValue)
    {
        var block = new HpackBlockBuilder()
            .Literal(NeverIndexed, ":authority", "http://127.0.0.1:2379", huffmanName, huffmanValue).ToArray();
        var expected = new HpackBlockBuilder()
            .Literal(NeverIndexed, ":authority", "127.0.0.1:2379", huffmanName, huffmanValue: false).ToArray();

        var (result, output) = Rewrite(block);

        Assert.Equal(HeaderBlockRewriteResult.AuthorityRepaired, result);
        Assert.Equal(expected, output);
    }

    [Fact]
    public void Keeps_dynamic_table_size_updates_and_everything_around_the_value()
    {
        var block = new HpackBlockBuilder().SizeUpdate(0).SizeUpdate(4096).Indexed(62)
            .Literal(IncrementalIndexing, Authority, "http://127.0.0.1:2379")
            .Literal(IncrementalIndexing, "x-custom", "value", huffmanName: true, huffmanValue: true).ToArray();
        var expected = new HpackBlockBuilder().SizeUpdate(0).SizeUpdate(4096).Indexed(62)
            .Literal(IncrementalIndexing, Authority, "127.0.0.1:2379")
            .Literal(IncrementalIndexing, "x-custom", "value", huffmanName: true, huffmanValue: true).ToArray();

        var (result, output) = Rewrite(block);

        Assert.Equal(HeaderBlockRewriteResult.AuthorityRepaired, result);
        Assert.Equal(expected, output);
    }

    [Fact]
    public void Writes_long_values_with_multi_octet_lengths()
    {
        var host = new string('a', 200) + ".example:2379";
        var block = new HpackBlockBuilder().Literal(IncrementalIndexing, Authority, $"http://{host}/p", huffman: true).ToArray();

        var (result, output) = Rewrite(block);

        Assert.Equal(HeaderBlockRewriteResult.AuthorityRepaired, result);
        Assert.Equal(new HpackBlockBuilder().Literal(IncrementalIndexing, Authority, host).ToArray(), output);
    }

    [Fact]
    public void Repairs_the_block_etcdctl_sends()
    {
        var block = Convert.FromHexString(EtcdctlBlockHex);

        var (result, output) = Rewrite(block);

        // 0x41 0x90: incremental indexing, name :authority, 16 Huffman octets ("http://127.0.0.1:46099").
        var valueAt = block.AsSpan().IndexOf(new byte[] { 0x41, 0x90 }) + 1;
        var expected = Concat(block[..valueAt], EncodeString("127.0.0.1:46099", huffman: false), block[(valueAt + 17)..]);
        Assert.Equal(HeaderBlockRewriteResult.AuthorityRepaired, result);
        Assert.Equal(expected, output);
    }

    [Theory]
    [InlineData("127.0.0.1:2379", false)]
    [InlineData("localhost:2379", true)]
    [InlineData("unix:///tmp/etcd.sock", false)]
    public void Leaves_blocks_with_a_valid_or_unrecoverable_authority_alone(string value, bool huffman)
    {
        var block = new HpackBlockBuilder().Indexed(2).Literal(IncrementalIndexing, Authority, value, huffman).ToArray();

        var (result, output) = Rewrite(block);

        Assert.Equal(HeaderBlockRewriteResult.AuthorityUnchanged, result);
        Assert.Empty(output);
    }

    [Fact]
    public void Reports_blocks_without_a_literal_authority()
    {
        var block = new HpackBlockBuilder().Indexed(2).Indexed(62).Literal(WithoutIndexing, Path, "/a").ToArray();

        var (result, output) = Rewrite(block);

        Assert.Equal(HeaderBlockRewriteResult.NoAuthority, result);
        Assert.Empty(output);
    }

    [Theory]
    [InlineData("80")] // indexed field with index 0
    [InlineData("41")] // literal without its value
    [InlineData("4105616263")] // value length 5 but 3 octets
    [InlineData("7f")] // truncated integer
    [InlineData("7fffffffffff0f")] // integer beyond int range
    [InlineData("4184fffffffc")] // value with the end-of-string symbol in it
    public void Reports_malformed_blocks(string blockHex)
    {
        var (result, _) = Rewrite(Convert.FromHexString(blockHex));

        Assert.Equal(HeaderBlockRewriteResult.Malformed, result);
    }

    private static (HeaderBlockRewriteResult Result, byte[] Output) Rewrite(byte[] block)
    {
        var output = new ArrayBufferWriter<byte>();
        var result = HpackAuthorityRewriter.Rewrite(block, output);
        return (result, output.WrittenSpan.ToArray());
    }
}
