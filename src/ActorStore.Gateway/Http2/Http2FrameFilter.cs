using System.Buffers;
using System.Buffers.Binary;

namespace ActorStore.Gateway.Http2;

/// <summary>
/// Follows the client-to-server byte stream of one HTTP/2 connection (RFC 7540 section 4) and repairs :authority
/// values in its header blocks (see <see cref="HpackAuthorityRewriter"/>). Frames other than HEADERS and their
/// CONTINUATIONs pass unchanged, streamed as they arrive. A header block is handled once all its frames are there;
/// when it changes it is sent on as one HEADERS frame, followed by CONTINUATIONs if it exceeds 16384 octets.
/// </summary>
/// <remarks>
/// Clients use one authority per connection, so the first header block decides: if it needs no repair, the filter
/// turns to <see cref="IsPassThrough"/> and the connection is not parsed any further. Input that is not HTTP/2 or
/// breaks the framing rules passes unchanged too, for the server to answer as it would without the filter.
/// Not thread-safe: one instance follows one connection.
/// </remarks>
public sealed class Http2FrameFilter
{
    public const int FrameHeaderLength = 9;

    /// <summary>The initial SETTINGS_MAX_FRAME_SIZE, which every server accepts: frames this filter writes stay within it.</summary>
    public const int MaxWrittenPayloadLength = 16384;

    /// <summary>Beyond this many octets of header frames the filter stops waiting for a block's end and lets it pass.</summary>
    public const int DefaultMaxHeaderBlockFrameBytes = 1024 * 1024;

    private const byte HeadersType = 0x1;
    private const byte ContinuationType = 0x9;
    private const byte EndStreamFlag = 0x1;
    private const byte EndHeadersFlag = 0x4;
    private const byte PaddedFlag = 0x8;
    private const byte PriorityFlag = 0x20;
    private const int PriorityFieldsLength = 5;

    private readonly int _maxHeaderBlockFrameBytes;
    private int _prefaceMatched;
    private long _payloadToForward;
    private ArrayBufferWriter<byte>? _fragments;
    private ArrayBufferWriter<byte>? _rewrittenBlock;

    public Http2FrameFilter(int maxHeaderBlockFrameBytes = DefaultMaxHeaderBlockFrameBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxHeaderBlockFrameBytes, FrameHeaderLength);
        _maxHeaderBlockFrameBytes = maxHeaderBlockFrameBytes;
    }

    /// <summary>True once the filter has nothing left to do on this connection: all further input passes unchanged.</summary>
    public bool IsPassThrough { get; private set; }

    /// <summary>True once a header block has been repaired: the filter then keeps examining every block.</summary>
    public bool IsRepairing { get; private set; }

    private static ReadOnlySpan<byte> ClientPreface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    /// <summary>
    /// Handles <paramref name="input"/>, the bytes that follow those consumed by earlier calls. With an
    /// <paramref name="output"/>, writes the filtered bytes to it. Without one, only inspects: it stops before the
    /// first header block that would change and returns <see cref="Http2FilterStatus.RewriteRequired"/>.
    /// <paramref name="consumed"/> counts the input bytes handled; the caller offers the rest again later.
    /// </summary>
    public Http2FilterStatus Filter(in ReadOnlySequence<byte> input, IBufferWriter<byte>? output, out long consumed)
    {
        var reader = new SequenceReader<byte>(input);
        var status = Run(ref reader, output);
        consumed = reader.Consumed;
        return status;
    }

    private Http2FilterStatus Run(ref SequenceReader<byte> reader, IBufferWriter<byte>? output)
    {
        while (true)
        {
            if (IsPassThrough)
            {
                Forward(ref reader, reader.Remaining, output);
                return Http2FilterStatus.PassThrough;
            }

            if (_prefaceMatched < ClientPreface.Length)
            {
                if (!MatchPreface(ref reader, output))
                {
                    return Http2FilterStatus.NeedMoreInput;
                }

                continue;
            }

            if (_payloadToForward > 0)
            {
                var count = Math.Min(_payloadToForward, reader.Remaining);
                Forward(ref reader, count, output);
                _payloadToForward -= count;
                if (_payloadToForward > 0)
                {
                    return Http2FilterStatus.NeedMoreInput;
                }

                continue;
            }

            if (!TryReadFrameHeader(reader.UnreadSequence, 0, out var header))
            {
                return Http2FilterStatus.NeedMoreInput;
            }

            switch (header.Type)
            {
                case HeadersType:
                    if (FilterHeaderBlock(ref reader, header, output) is { } stop)
                    {
                        return stop;
                    }

                    break;

                case ContinuationType:
                    // A CONTINUATION outside a header block: a connection error the server will report.
                    IsPassThrough = true;
                    break;

                default:
                    Forward(ref reader, FrameHeaderLength, output);
                    _payloadToForward = header.Length;
                    break;
            }
        }
    }

    /// <summary>Passes the preface bytes that match; returns false while the preface is incomplete.</summary>
    private bool MatchPreface(ref SequenceReader<byte> reader, IBufferWriter<byte>? output)
    {
        var expected = ClientPreface[_prefaceMatched..];
        Span<byte> received = stackalloc byte[ClientPreface.Length];
        received = received[..(int)Math.Min(expected.Length, reader.Remaining)];
        reader.TryCopyTo(received);
        var matching = received.CommonPrefixLength(expected);
        Forward(ref reader, matching, output);
        _prefaceMatched += matching;
        if (matching < received.Length)
        {
            // Not HTTP/2 with prior knowledge (HTTP/1.1, TLS, garbage): none of our business.
            IsPassThrough = true;
            return true;
        }

        return _prefaceMatched == ClientPreface.Length;
    }

    /// <summary>
    /// Handles the header block that starts with <paramref name="first"/> at the reader's position. Returns null to
    /// go on with the next frame, or the status to stop with.
    /// </summary>
    private Http2FilterStatus? FilterHeaderBlock(ref SequenceReader<byte> reader, FrameHeader first, IBufferWriter<byte>? output)
    {
        var unread = reader.UnreadSequence;
        long blockFramesLength = 0;
        var fragmentsLength = 0;
        var frameCount = 0;
        var header = first;
        while (true)
        {
            var frameLength = FrameHeaderLength + (long)header.Length;
            if (blockFramesLength + frameLength > _maxHeaderBlockFrameBytes)
            {
                // Too large to hold back; the server applies its own limits to it.
                IsPassThrough = true;
                return null;
            }

            if (unread.Length < blockFramesLength + frameLength)
            {
                return Http2FilterStatus.NeedMoreInput;
            }

            if (!TryLocateFragment(unread, blockFramesLength, header, out _, out var fragmentLength))
            {
                IsPassThrough = true;
                return null;
            }

            fragmentsLength += fragmentLength;
            blockFramesLength += frameLength;
            frameCount++;
            if ((header.Flags & EndHeadersFlag) != 0)
            {
                break;
            }

            if (!TryReadFrameHeader(unread, blockFramesLength, out header))
            {
                return Http2FilterStatus.NeedMoreInput;
            }

            if (header.Type != ContinuationType || header.StreamId != first.StreamId)
            {
                // Another frame inside a header block: a connection error the server will report.
                IsPassThrough = true;
                return null;
            }
        }

        var block = GatherFragments(unread, first, frameCount, fragmentsLength);
        _rewrittenBlock ??= new ArrayBufferWriter<byte>();
        _rewrittenBlock.ResetWrittenCount();
        var result = HpackAuthorityRewriter.Rewrite(block, _rewrittenBlock);
        if (result == HeaderBlockRewriteResult.AuthorityRepaired)
        {
            if (output is null)
            {
                return Http2FilterStatus.RewriteRequired;
            }

            IsRepairing = true;
            WriteHeaderBlock(output, unread, first, _rewrittenBlock.WrittenSpan);
            reader.Advance(blockFramesLength);
            return null;
        }

        Forward(ref reader, blockFramesLength, output);
        if (result == HeaderBlockRewriteResult.Malformed || !IsRepairing)
        {
            IsPassThrough = true;
        }

        return null;
    }

    /// <summary>The header block fragments of a complete HEADERS + CONTINUATION sequence, joined.</summary>
    private ReadOnlySpan<byte> GatherFragments(in ReadOnlySequence<byte> unread, FrameHeader first, int frameCount, int fragmentsLength)
    {
        TryLocateFragment(unread, 0, first, out var firstStart, out var firstLength);
        var firstSpan = unread.FirstSpan;
        if (frameCount == 1 && firstStart + firstLength <= firstSpan.Length)
        {
            return firstSpan.Slice((int)firstStart, firstLength);
        }

        _fragments ??= new ArrayBufferWriter<byte>();
        _fragments.ResetWrittenCount();
        var destination = _fragments.GetSpan(fragmentsLength);
        long offset = 0;
        var written = 0;
        for (var frame = 0; frame < frameCount; frame++)
        {
            TryReadFrameHeader(unread, offset, out var header);
            TryLocateFragment(unread, offset, header, out var start, out var length);
            unread.Slice(start, length).CopyTo(destination[written..]);
            written += length;
            offset += FrameHeaderLength + header.Length;
        }

        _fragments.Advance(written);
        return _fragments.WrittenSpan;
    }

    /// <summary>Where the header block fragment of the frame at <paramref name="offset"/> is, without padding and priority.</summary>
    private static bool TryLocateFragment(in ReadOnlySequence<byte> unread, long offset, FrameHeader header, out long start, out int length)
    {
        var before = 0;
        var padding = 0;
        if (header.Type == HeadersType)
        {
            if ((header.Flags & PaddedFlag) != 0)
            {
                if (header.Length < 1)
                {
                    start = length = 0;
                    return false;
                }

                padding = unread.Slice(offset + FrameHeaderLength, 1).FirstSpan[0];
                before = 1;
            }

            if ((header.Flags & PriorityFlag) != 0)
            {
                before += PriorityFieldsLength;
            }
        }

        start = offset + FrameHeaderLength + before;
        length = header.Length - before - padding;
        return length >= 0;
    }

    /// <summary>
    /// Writes a repaired block as HEADERS (keeping END_STREAM and the priority fields, dropping padding), then
    /// CONTINUATIONs for what does not fit.
    /// </summary>
    private static void WriteHeaderBlock(IBufferWriter<byte> output, in ReadOnlySequence<byte> unread, FrameHeader first, ReadOnlySpan<byte> block)
    {
        var hasPriority = (first.Flags & PriorityFlag) != 0;
        var priorityLength = hasPriority ? PriorityFieldsLength : 0;
        var chunk = Math.Min(block.Length, MaxWrittenPayloadLength - priorityLength);
        var flags = (byte)(first.Flags & (EndStreamFlag | PriorityFlag));
        if (chunk == block.Length)
        {
            flags |= EndHeadersFlag;
        }

        WriteFrameHeader(output, chunk + priorityLength, HeadersType, flags, first.StreamId);
        if (hasPriority)
        {
            var priorityOffset = FrameHeaderLength + ((first.Flags & PaddedFlag) != 0 ? 1 : 0);
            foreach (var segment in unread.Slice(priorityOffset, PriorityFieldsLength))
            {
                output.Write(segment.Span);
            }
        }

        output.Write(block[..chunk]);
        block = block[chunk..];
        while (!block.IsEmpty)
        {
            chunk = Math.Min(block.Length, MaxWrittenPayloadLength);
            WriteFrameHeader(output, chunk, ContinuationType, chunk == block.Length ? EndHeadersFlag : (byte)0, first.StreamId);
            output.Write(block[..chunk]);
            block = block[chunk..];
        }
    }

    private static void WriteFrameHeader(IBufferWriter<byte> output, int length, byte type, byte flags, int streamId)
    {
        var span = output.GetSpan(FrameHeaderLength);
        span[0] = (byte)(length >> 16);
        span[1] = (byte)(length >> 8);
        span[2] = (byte)length;
        span[3] = type;
        span[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(span[5..], streamId);
        output.Advance(FrameHeaderLength);
    }

    private static bool TryReadFrameHeader(in ReadOnlySequence<byte> sequence, long offset, out FrameHeader header)
    {
        if (sequence.Length - offset < FrameHeaderLength)
        {
            header = default;
            return false;
        }

        Span<byte> raw = stackalloc byte[FrameHeaderLength];
        sequence.Slice(offset, FrameHeaderLength).CopyTo(raw);
        header = new FrameHeader(
            (raw[0] << 16) | (raw[1] << 8) | raw[2],
            raw[3],
            raw[4],
            BinaryPrimitives.ReadInt32BigEndian(raw[5..]) & int.MaxValue);
        return true;
    }

    private static void Forward(ref SequenceReader<byte> reader, long count, IBufferWriter<byte>? output)
    {
        if (output is not null)
        {
            foreach (var segment in reader.UnreadSequence.Slice(0, count))
            {
                output.Write(segment.Span);
            }
        }

        reader.Advance(count);
    }

    /// <summary>The 9-octet frame header; the reserved bit of the stream id is dropped.</summary>
    private readonly record struct FrameHeader(int Length, byte Type, byte Flags, int StreamId);
}
