using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using ActorStore.Gateway.Http2;
using Xunit;
using static ActorStore.Gateway.Tests.Http2.Http2TestFrames;

namespace ActorStore.Gateway.Tests.Http2;

public sealed class AuthorityRepairingPipeReaderTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static readonly byte[] BadBlock = new HpackBlockBuilder().Indexed(3).Indexed(6).Indexed(4)
        .Literal(HpackBlockBuilder.IncrementalIndexing, 1, "http://127.0.0.1:2379", huffman: true).ToArray();

    private static readonly byte[] RepairedBlock = new HpackBlockBuilder().Indexed(3).Indexed(6).Indexed(4)
        .Literal(HpackBlockBuilder.IncrementalIndexing, 1, "127.0.0.1:2379").ToArray();

    private static readonly byte[] GoodBlock = RepairedBlock;

    private readonly Pipe _transport = new();

    [Fact]
    public async Task Reads_the_transport_directly_once_the_first_block_is_fine()
    {
        var reader = new AuthorityRepairingPipeReader(_transport.Reader);
        var input = Http2TestFrames.Concat(Preface, SettingsFrame(), HeadersFrame(1, GoodBlock));
        await _transport.Writer.WriteAsync(input);

        var result = await reader.ReadAsync();

        Assert.Equal(input, result.Buffer.ToArray());
        Assert.True(reader.IsDirect);
        reader.AdvanceTo(result.Buffer.End);
        await _transport.Writer.WriteAsync(Body("later"));
        result = await reader.ReadAsync();
        Assert.Equal(Body("later"), result.Buffer.ToArray());
    }

    [Fact]
    public async Task Reads_http1_directly()
    {
        var reader = new AuthorityRepairingPipeReader(_transport.Reader);
        var request = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        await _transport.Writer.WriteAsync(request);

        var result = await reader.ReadAsync();

        Assert.Equal(request, result.Buffer.ToArray());
        Assert.True(reader.IsDirect);
    }

    [Fact]
    public async Task Holds_back_an_incomplete_header_block_and_hands_out_the_repaired_one()
    {
        var reader = new AuthorityRepairingPipeReader(_transport.Reader);
        var headers = HeadersFrame(1, BadBlock);
        var head = Http2TestFrames.Concat(Preface, SettingsFrame());
        await _transport.Writer.WriteAsync(Http2TestFrames.Concat(head, headers[..12]));

        var first = await reader.ReadAsync();
        Assert.Equal(head, first.Buffer.ToArray());
        reader.AdvanceTo(first.Buffer.End);

        var pending = reader.ReadAsync();
        Assert.False(pending.IsCompleted);
        await _transport.Writer.WriteAsync(headers[12..]);
        var second = await pending.AsTask().WaitAsync(Patience);

        Assert.Equal(HeadersFrame(1, RepairedBlock), second.Buffer.ToArray());
        Assert.True(reader.IsRepairing);
        reader.AdvanceTo(second.Buffer.End);

        // Later bytes go through the filter too.
        var data = DataFrame(1, Body("payload"), true);
        await _transport.Writer.WriteAsync(Http2TestFrames.Concat(data, HeadersFrame(3, BadBlock)));
        Assert.Equal(Http2TestFrames.Concat(data, HeadersFrame(3, RepairedBlock)), await CompleteAndReadToEndAsync(_transport.Writer, reader));
    }

    [Fact]
    public async Task Keeps_what_the_reader_left_unconsumed_when_rewriting_starts()
    {
        var reader = new AuthorityRepairingPipeReader(_transport.Reader);
        var settings = SettingsFrame();
        await _transport.Writer.WriteAsync(Http2TestFrames.Concat(Preface, settings, HeadersFrame(1, BadBlock)[..5]));

        // Like Kestrel: takes the preface, leaves the SETTINGS frame for later.
        var first = await reader.ReadAsync();
        reader.AdvanceTo(first.Buffer.GetPosition(Preface.Length), first.Buffer.End);
        await _transport.Writer.WriteAsync(HeadersFrame(1, BadBlock)[5..]);

        Assert.Equal(Http2TestFrames.Concat(settings, HeadersFrame(1, RepairedBlock)), await CompleteAndReadToEndAsync(_transport.Writer, reader));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Returns_the_same_bytes_again_when_the_reader_did_not_examine_them_all(bool rewriting)
    {
        var reader = new AuthorityRepairingPipeReader(_transport.Reader);
        var headers = HeadersFrame(1, BadBlock);
        await _transport.Writer.WriteAsync(Http2TestFrames.Concat(Preface, SettingsFrame(), rewriting ? headers : headers[..10]));

        var first = await reader.ReadAsync();
        reader.AdvanceTo(first.Buffer.Start, first.Buffer.GetPosition(4));
        var again = reader.ReadAsync();

        Assert.Equal(rewriting, reader.IsRepairing);
        Assert.True(again.IsCompleted);
        Assert.Equal(first.Buffer.ToArray(), (await again).Buffer.ToArray());
    }

    [Fact]
    public async Task Cancels_a_pending_read_while_inspecting_and_while_rewriting()
    {
        var reader = new AuthorityRepairingPipeReader(_transport.Reader);
        var pending = reader.ReadAsync();
        reader.CancelPendingRead();
        var canceled = await pending.AsTask().WaitAsync(Patience);
        Assert.True(canceled.IsCanceled);
        reader.AdvanceTo(canceled.Buffer.End);

        await _transport.Writer.WriteAsync(Http2TestFrames.Concat(Preface, HeadersFrame(1, BadBlock)));
        var read = await reader.ReadAsync();
        Assert.True(reader.IsRepairing);
        reader.AdvanceTo(read.Buffer.End);

        pending = reader.ReadAsync();
        reader.CancelPendingRead();
        canceled = await pending.AsTask().WaitAsync(Patience);
        Assert.True(canceled.IsCanceled);
        Assert.False(canceled.IsCompleted);
        reader.AdvanceTo(canceled.Buffer.End);

        // Reading goes on after a cancellation.
        await _transport.Writer.WriteAsync(HeadersFrame(3, BadBlock));
        Assert.Equal(HeadersFrame(3, RepairedBlock), await CompleteAndReadToEndAsync(_transport.Writer, reader));
    }

    [Fact]
    public async Task Passes_a_truncated_tail_on_when_the_connection_ends()
    {
        var reader = new AuthorityRepairingPipeReader(_transport.Reader);
        var truncated = HeadersFrame(3, BadBlock)[..7];
        await _transport.Writer.WriteAsync(Http2TestFrames.Concat(Preface, HeadersFrame(1, BadBlock), truncated));

        var output = await CompleteAndReadToEndAsync(_transport.Writer, reader);

        Assert.Equal(Http2TestFrames.Concat(Preface, HeadersFrame(1, RepairedBlock), truncated), output);
    }

    [Fact]
    public async Task Surfaces_transport_errors()
    {
        var reader = new AuthorityRepairingPipeReader(_transport.Reader);
        await _transport.Writer.WriteAsync(Http2TestFrames.Concat(Preface, HeadersFrame(1, BadBlock)));
        var read = await reader.ReadAsync();
        reader.AdvanceTo(read.Buffer.End);

        await _transport.Writer.CompleteAsync(new IOException("connection reset"));

        await Assert.ThrowsAsync<IOException>(async () => await reader.ReadAsync());
    }

    [Fact]
    public async Task Completing_the_reader_completes_the_transport()
    {
        var reader = new AuthorityRepairingPipeReader(_transport.Reader);
        await _transport.Writer.WriteAsync(Http2TestFrames.Concat(Preface, HeadersFrame(1, BadBlock)));
        var read = await reader.ReadAsync();
        reader.AdvanceTo(read.Buffer.End);

        reader.Complete();

        var flush = await _transport.Writer.WriteAsync(Body("more"));
        Assert.True(flush.IsCompleted);
    }

    private static byte[] Body(string text) => Encoding.ASCII.GetBytes(text);

    /// <summary>Ends the transport's input, then reads what the reader hands out until it reports completion.</summary>
    private static async Task<byte[]> CompleteAndReadToEndAsync(PipeWriter transport, PipeReader reader)
    {
        await transport.CompleteAsync();
        var output = new List<byte>();
        while (true)
        {
            var result = await reader.ReadAsync().AsTask().WaitAsync(Patience);
            output.AddRange(result.Buffer.ToArray());
            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                return [.. output];
            }
        }
    }
}
