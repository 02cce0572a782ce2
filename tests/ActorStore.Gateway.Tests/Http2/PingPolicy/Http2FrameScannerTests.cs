using ActorStore.Gateway.Http2.PingPolicy;
using Xunit;
using static ActorStore.Gateway.Tests.Http2.Http2TestFrames;

namespace ActorStore.Gateway.Tests.Http2.PingPolicy;

public sealed class Http2FrameScannerTests
{
    private static readonly byte[] ClientBytes = Concat(
        Preface,
        SettingsFrame(),
        Frame(Ping, 0, 0, new byte[8]),
        HeadersFrame(1, [0x83, 0x86], endStream: false),
        DataFrame(1, new byte[40_000], endStream: true),
        Frame(Ping, Ack, 0, new byte[8]));

    private static readonly (int Length, byte Type, byte Flags, int StreamId)[] ClientFrames =
    [
        (0, Settings, 0, 0),
        (8, Ping, 0, 0),
        (2, Headers, EndHeaders, 1),
        (40_000, Data, EndStream, 1),
        (8, Ping, Ack, 0),
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(9)]
    [InlineData(4096)]
    [InlineData(100_000)]
    public void Finds_every_frame_header_whatever_the_chunks(int chunkSize)
    {
        var scanner = new Http2FrameScanner(expectClientPreface: true);
        var found = new List<(int, byte, byte, int)>();
        for (var offset = 0; offset < ClientBytes.Length; offset += chunkSize)
        {
            ReadOnlySpan<byte> chunk = ClientBytes.AsSpan(offset, Math.Min(chunkSize, ClientBytes.Length - offset));
            while (scanner.TryReadFrameHeader(ref chunk, out var header))
            {
                found.Add((header.Length, header.Type, header.Flags, header.StreamId));
            }
        }

        Assert.Equal(ClientFrames, found);
        Assert.True(scanner.IsAtFrameBoundary);
        Assert.False(scanner.IsNotHttp2);
    }

    [Fact]
    public void Knows_when_a_frame_is_only_partly_seen()
    {
        var scanner = new Http2FrameScanner(expectClientPreface: false);
        ReadOnlySpan<byte> bytes = DataFrame(1, new byte[10], endStream: false).AsSpan(0, 15);

        Assert.True(scanner.TryReadFrameHeader(ref bytes, out _));
        Assert.False(scanner.IsAtFrameBoundary);
        Assert.False(scanner.TryReadFrameHeader(ref bytes, out _));
        Assert.False(scanner.IsAtFrameBoundary);
    }

    [Fact]
    public void Http1_is_not_scanned()
    {
        var scanner = new Http2FrameScanner(expectClientPreface: true);
        ReadOnlySpan<byte> bytes = "POST / HTTP/1.1\r\nHost: x\r\n\r\n"u8;

        Assert.False(scanner.TryReadFrameHeader(ref bytes, out _));
        Assert.True(scanner.IsNotHttp2);
    }
}
