using System.Buffers;
using System.Text;
using ActorStore.Gateway.Http2;
using Xunit;
using static ActorStore.Gateway.Tests.Http2.Http2TestFrames;

namespace ActorStore.Gateway.Tests.Http2;

public sealed class Http2FrameFilterTests
{
    private static readonly byte[] BadBlock = RequestBlock("http://127.0.0.1:2379");
    private static readonly byte[] RepairedBlock = RequestBlock("127.0.0.1:2379");
    private static readonly byte[] GoodBlock = RequestBlock("127.0.0.1:2379");
    private static readonly byte[] Body = Encoding.ASCII.GetBytes("some request body");

    [Fact]
    public void Passes_a_connection_through_once_its_first_block_is_fine()
    {
        // The second request's authority is bad, but after the first block nothing is parsed any more.
        var input = Http2TestFrames.Concat(Preface, SettingsFrame(), HeadersFrame(1, GoodBlock), HeadersFrame(3, BadBlock, endStream: false), DataFrame(3, Body, true));
        var filter = new Http2FrameFilter();

        var output = FilterAll(filter, input, chunkSize: input.Length);

        Assert.Equal(input, output);
        Assert.True(filter.IsPassThrough);
        Assert.False(filter.IsRepairing);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(100)]
    [InlineData(100_000)]
    public void Repairs_every_block_of_a_connection_however_the_bytes_arrive(int chunkSize)
    {
        var input = Http2TestFrames.Concat(
            Preface, SettingsFrame(), HeadersFrame(1, BadBlock, endStream: false), DataFrame(1, Body, true),
            Frame(WindowUpdate, 0, 0, [0, 1, 0, 0]), HeadersFrame(3, BadBlock), HeadersFrame(5, GoodBlock));
        var expected = Http2TestFrames.Concat(
            Preface, SettingsFrame(), HeadersFrame(1, RepairedBlock, endStream: false), DataFrame(1, Body, true),
            Frame(WindowUpdate, 0, 0, [0, 1, 0, 0]), HeadersFrame(3, RepairedBlock), HeadersFrame(5, GoodBlock));
        var filter = new Http2FrameFilter();

        var output = FilterAll(filter, input, chunkSize);

        Assert.Equal(expected, output);
        Assert.True(filter.IsRepairing);
        Assert.False(filter.IsPassThrough);
    }

    [Fact]
    public void Handles_input_spread_over_many_buffer_segments()
    {
        var input = Http2TestFrames.Concat(Preface, HeadersFrame(1, BadBlock, padding: 3, priority: [0x80, 0, 0, 1, 15]));
        var expected = Http2TestFrames.Concat(Preface, HeadersFrame(1, RepairedBlock, priority: [0x80, 0, 0, 1, 15]));
        var output = new ArrayBufferWriter<byte>();

        var status = new Http2FrameFilter().Filter(Segmented(input, 5), output, out var consumed);

        Assert.Equal(Http2FilterStatus.NeedMoreInput, status);
        Assert.Equal(input.Length, consumed);
        Assert.Equal(expected, output.WrittenSpan.ToArray());
    }

    [Fact]
    public void Drops_padding_of_a_repaired_block()
    {
        var input = Http2TestFrames.Concat(Preface, HeadersFrame(1, BadBlock, padding: 20));
        var expected = Http2TestFrames.Concat(Preface, HeadersFrame(1, RepairedBlock));

        Assert.Equal(expected, FilterAll(new Http2FrameFilter(), input, chunkSize: 10));
    }

    [Fact]
    public void Keeps_priority_fields_of_a_repaired_block()
    {
        byte[] priority = [0x00, 0x00, 0x00, 0x03, 200];
        var input = Http2TestFrames.Concat(Preface, HeadersFrame(5, BadBlock, endStream: false, priority: priority));
        var expected = Http2TestFrames.Concat(Preface, HeadersFrame(5, RepairedBlock, endStream: false, priority: priority));

        Assert.Equal(expected, FilterAll(new Http2FrameFilter(), input, chunkSize: 3));
    }

    [Fact]
    public void Joins_continuations_into_one_headers_frame()
    {
        var input = Http2TestFrames.Concat(
            Preface,
            HeadersFrame(1, BadBlock[..5], endHeaders: false, padding: 2, priority: [0, 0, 0, 0, 16]),
            ContinuationFrame(1, BadBlock[5..12], endHeaders: false),
            ContinuationFrame(1, BadBlock[12..], endHeaders: true),
            SettingsFrame());
        var expected = Http2TestFrames.Concat(Preface, HeadersFrame(1, RepairedBlock, priority: [0, 0, 0, 0, 16]), SettingsFrame());

        Assert.Equal(expected, FilterAll(new Http2FrameFilter(), input, chunkSize: 4));
    }

    [Fact]
    public void Splits_a_repaired_block_larger_than_the_default_frame_size()
    {
        var big = new HpackBlockBuilder().Literal(HpackBlockBuilder.WithoutIndexing, "x-big", new string('b', 40_000)).ToArray();
        var bad = Http2TestFrames.Concat(BadBlock, big);
        var repaired = Http2TestFrames.Concat(RepairedBlock, big);
        var input = Http2TestFrames.Concat(
            Preface,
            HeadersFrame(7, bad[..16_000], endHeaders: false),
            ContinuationFrame(7, bad[16_000..32_000], endHeaders: false),
            ContinuationFrame(7, bad[32_000..], endHeaders: true));

        var output = FilterAll(new Http2FrameFilter(), input, chunkSize: 4096);

        var frames = ParseFrames(output.AsSpan(Preface.Length));
        Assert.Equal([Headers, Continuation, Continuation], frames.Select(frame => frame.Type));
        Assert.All(frames, frame => Assert.Equal(7, frame.StreamId));
        Assert.All(frames, frame => Assert.True(frame.Payload.Length <= Http2FrameFilter.MaxWrittenPayloadLength));
        Assert.Equal([EndStream, 0, EndHeaders], frames.Select(frame => frame.Flags));
        Assert.Equal(repaired, frames.SelectMany(frame => frame.Payload));
    }

    [Fact]
    public void Passes_http1_through_without_waiting_for_a_whole_preface()
    {
        var input = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\n\r\n");
        var filter = new Http2FrameFilter();
        var output = new ArrayBufferWriter<byte>();

        var status = filter.Filter(new ReadOnlySequence<byte>(input), output, out var consumed);

        Assert.Equal(Http2FilterStatus.PassThrough, status);
        Assert.Equal(input.Length, consumed);
        Assert.Equal(input, output.WrittenSpan.ToArray());
    }

    [Fact]
    public void Passes_the_matching_part_of_an_incomplete_preface()
    {
        var filter = new Http2FrameFilter();
        var output = new ArrayBufferWriter<byte>();

        var status = filter.Filter(new ReadOnlySequence<byte>(Preface[..10]), output, out var consumed);

        Assert.Equal(Http2FilterStatus.NeedMoreInput, status);
        Assert.Equal(10, consumed);
        Assert.False(filter.IsPassThrough);
    }

    [Fact]
    public void Lets_broken_framing_through_unchanged()
    {
        // A DATA frame inside a header block is a connection error for the server to report.
        var input = Http2TestFrames.Concat(
            Preface, HeadersFrame(1, BadBlock[..5], endHeaders: false), DataFrame(1, Body, false), ContinuationFrame(1, BadBlock[5..], true));
        var filter = new Http2FrameFilter();

        Assert.Equal(input, FilterAll(filter, input, chunkSize: 8));
        Assert.True(filter.IsPassThrough);
    }

    [Fact]
    public void Lets_a_stray_continuation_through_unchanged()
    {
        var input = Http2TestFrames.Concat(Preface, ContinuationFrame(1, BadBlock, true), HeadersFrame(3, BadBlock));

        Assert.Equal(input, FilterAll(new Http2FrameFilter(), input, chunkSize: input.Length));
    }

    [Fact]
    public void Lets_padding_longer_than_the_payload_through_unchanged()
    {
        var frame = HeadersFrame(1, BadBlock, padding: 0);
        frame[9] = 250;
        var input = Http2TestFrames.Concat(Preface, frame);

        Assert.Equal(input, FilterAll(new Http2FrameFilter(), input, chunkSize: input.Length));
    }

    [Fact]
    public void Stops_holding_back_blocks_beyond_its_limit()
    {
        var input = Http2TestFrames.Concat(Preface, HeadersFrame(1, BadBlock, endHeaders: false), ContinuationFrame(1, new byte[200], true));
        var filter = new Http2FrameFilter(maxHeaderBlockFrameBytes: 100);

        Assert.Equal(input, FilterAll(filter, input, chunkSize: 50));
        Assert.True(filter.IsPassThrough);
    }

    [Fact]
    public void Inspecting_stops_before_the_block_to_repair_and_filtering_goes_on_from_there()
    {
        var head = Http2TestFrames.Concat(Preface, SettingsFrame(), Frame(Ping, 0, 0, new byte[8]));
        var input = Http2TestFrames.Concat(head, HeadersFrame(1, BadBlock));
        var filter = new Http2FrameFilter();

        var inspection = filter.Filter(new ReadOnlySequence<byte>(input), null, out var inspected);
        var output = new ArrayBufferWriter<byte>();
        var filtering = filter.Filter(new ReadOnlySequence<byte>(input, (int)inspected, input.Length - (int)inspected), output, out var consumed);

        Assert.Equal(Http2FilterStatus.RewriteRequired, inspection);
        Assert.Equal(head.Length, inspected);
        Assert.Equal(Http2FilterStatus.NeedMoreInput, filtering);
        Assert.Equal(input.Length - head.Length, consumed);
        Assert.Equal(HeadersFrame(1, RepairedBlock), output.WrittenSpan.ToArray());
    }

    [Fact]
    public void Inspecting_a_fine_connection_ends_in_pass_through()
    {
        var input = Http2TestFrames.Concat(Preface, SettingsFrame(), HeadersFrame(1, GoodBlock), DataFrame(1, Body, true));
        var filter = new Http2FrameFilter();

        var status = filter.Filter(new ReadOnlySequence<byte>(input), null, out var consumed);

        Assert.Equal(Http2FilterStatus.PassThrough, status);
        Assert.Equal(input.Length, consumed);
    }

    [Fact]
    public void Waits_for_the_rest_of_a_header_block()
    {
        var head = Http2TestFrames.Concat(Preface, SettingsFrame());
        var input = Http2TestFrames.Concat(head, HeadersFrame(1, BadBlock, endHeaders: false), ContinuationFrame(1, [], true));
        var filter = new Http2FrameFilter();
        var output = new ArrayBufferWriter<byte>();

        var status = filter.Filter(new ReadOnlySequence<byte>(input[..^3]), output, out var consumed);

        Assert.Equal(Http2FilterStatus.NeedMoreInput, status);
        Assert.Equal(head.Length, consumed);
        Assert.Equal(head, output.WrittenSpan.ToArray());
    }

    /// <summary>GET /etcdserverpb.Maintenance/Status with the given authority, Huffman-coded as grpc-go does.</summary>
    private static byte[] RequestBlock(string authority) => new HpackBlockBuilder()
        .Indexed(3).Indexed(6)
        .Literal(HpackBlockBuilder.IncrementalIndexing, 4, "/etcdserverpb.Maintenance/Status", huffman: true)
        .Literal(HpackBlockBuilder.IncrementalIndexing, 1, authority, huffman: authority.Contains("//", StringComparison.Ordinal))
        .Literal(HpackBlockBuilder.IncrementalIndexing, "content-type", "application/grpc", huffmanName: true, huffmanValue: true)
        .ToArray();

    /// <summary>Feeds the input in chunks as reads would deliver them, offering unconsumed bytes again each time.</summary>
    private static byte[] FilterAll(Http2FrameFilter filter, byte[] input, int chunkSize)
    {
        var output = new ArrayBufferWriter<byte>();
        var pending = new List<byte>();
        for (var offset = 0; offset < input.Length; offset += chunkSize)
        {
            pending.AddRange(input.Skip(offset).Take(chunkSize));
            filter.Filter(new ReadOnlySequence<byte>(pending.ToArray()), output, out var consumed);
            pending.RemoveRange(0, (int)consumed);
        }

        Assert.Empty(pending);
        return output.WrittenSpan.ToArray();
    }

    private static ReadOnlySequence<byte> Segmented(byte[] bytes, int segmentLength)
    {
        var first = new Segment(bytes.AsMemory(0, Math.Min(segmentLength, bytes.Length)), 0);
        var last = first;
        for (var offset = segmentLength; offset < bytes.Length; offset += segmentLength)
        {
            last = last.Append(bytes.AsMemory(offset, Math.Min(segmentLength, bytes.Length - offset)));
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
