using System.Buffers.Binary;

namespace ActorStore.Gateway.Http2.PingPolicy;

/// <summary>The 9-octet header of an HTTP/2 frame (RFC 7540 section 4.1); the reserved bit of the stream id is dropped.</summary>
public readonly record struct Http2FrameHeader(int Length, byte Type, byte Flags, int StreamId)
{
    public const byte DataType = 0x0;
    public const byte HeadersType = 0x1;
    public const byte PingType = 0x6;
    public const byte GoAwayType = 0x7;
    public const byte AckFlag = 0x1;
}

/// <summary>
/// Finds the frame headers in one direction of an HTTP/2 connection as its bytes go by, in chunks of any size,
/// without holding on to any of them. Payloads are skipped unread.
/// </summary>
/// <remarks>Not thread-safe: one instance follows one direction of one connection.</remarks>
public sealed class Http2FrameScanner
{
    public const int FrameHeaderLength = 9;

    private readonly byte[] _header = new byte[FrameHeaderLength];
    private int _prefaceMatched;
    private int _headerBytes;
    private long _payloadLeft;

    /// <param name="expectClientPreface">Whether the bytes open with the client connection preface (the client-to-server direction).</param>
    public Http2FrameScanner(bool expectClientPreface)
    {
        _prefaceMatched = expectClientPreface ? 0 : ClientPreface.Length;
    }

    /// <summary>True when the bytes did not open with the client preface: they are not HTTP/2 and are not scanned.</summary>
    public bool IsNotHttp2 { get; private set; }

    /// <summary>True when the bytes seen so far end exactly where a frame ends (or before the first frame).</summary>
    public bool IsAtFrameBoundary => _prefaceMatched == ClientPreface.Length && _headerBytes == 0 && _payloadLeft == 0;

    private static ReadOnlySpan<byte> ClientPreface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    /// <summary>
    /// Consumes <paramref name="bytes"/> up to and including the next complete frame header and returns it, or
    /// consumes them all and returns false when no frame header completes within them.
    /// </summary>
    public bool TryReadFrameHeader(ref ReadOnlySpan<byte> bytes, out Http2FrameHeader header)
    {
        header = default;
        if (IsNotHttp2 || !MatchPreface(ref bytes))
        {
            bytes = default;
            return false;
        }

        while (!bytes.IsEmpty)
        {
            if (_payloadLeft > 0)
            {
                var skipped = (int)Math.Min(_payloadLeft, bytes.Length);
                bytes = bytes[skipped..];
                _payloadLeft -= skipped;
                continue;
            }

            var taken = Math.Min(FrameHeaderLength - _headerBytes, bytes.Length);
            bytes[..taken].CopyTo(_header.AsSpan(_headerBytes));
            bytes = bytes[taken..];
            _headerBytes += taken;
            if (_headerBytes < FrameHeaderLength)
            {
                return false;
            }

            _headerBytes = 0;
            header = new Http2FrameHeader(
                (_header[0] << 16) | (_header[1] << 8) | _header[2],
                _header[3],
                _header[4],
                BinaryPrimitives.ReadInt32BigEndian(_header.AsSpan(5)) & int.MaxValue);
            _payloadLeft = header.Length;
            return true;
        }

        return false;
    }

    /// <summary>Consumes preface bytes; false while the preface is incomplete or once it failed to match.</summary>
    private bool MatchPreface(ref ReadOnlySpan<byte> bytes)
    {
        if (_prefaceMatched == ClientPreface.Length)
        {
            return true;
        }

        var expected = ClientPreface[_prefaceMatched..];
        var count = Math.Min(expected.Length, bytes.Length);
        if (!bytes[..count].SequenceEqual(expected[..count]))
        {
            IsNotHttp2 = true;
            return false;
        }

        bytes = bytes[count..];
        _prefaceMatched += count;
        return _prefaceMatched == ClientPreface.Length;
    }
}
