using System.Buffers.Binary;
using System.IO.Pipelines;

namespace ActorStore.Gateway.Http2.PingPolicy;

/// <summary>
/// The connection output Kestrel writes to: passed on unchanged, with its frame headers scanned so that the server's
/// HEADERS and DATA forgive ping strikes. When the client has pinged too often, it writes grpc-go's GOAWAY
/// (ENHANCE_YOUR_CALM, "too_many_pings") at the next frame boundary, flushes it, ends the output and drops whatever
/// Kestrel writes after it; the reader then ends the input, and Kestrel closes the connection.
/// </summary>
public sealed class PingPolicyPipeWriter(PipeWriter transport, PingPolicyConnection connection, PipeReader input) : PipeWriter
{
    private const int EnhanceYourCalm = 0xb;

    private readonly Http2FrameScanner _scanner = new(expectClientPreface: false);
    private Memory<byte> _lent;
    private byte[]? _discarded;
    private int _pingAcks;
    private bool _goAwayWritten;
    private bool _transportCompleted;

    private static ReadOnlySpan<byte> TooManyPings => "too_many_pings"u8;

    public override bool CanGetUnflushedBytes => transport.CanGetUnflushedBytes;

    public override long UnflushedBytes => transport.UnflushedBytes;

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        if (_goAwayWritten)
        {
            return Discard(sizeHint);
        }

        _lent = transport.GetMemory(sizeHint);
        return _lent;
    }

    public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    public override void Advance(int bytes)
    {
        if (_goAwayWritten)
        {
            return;
        }

        if (connection.IsNotHttp2)
        {
            transport.Advance(bytes);
            return;
        }

        Scan(_lent.Span[..bytes]);
        _lent = default;
        transport.Advance(bytes);
        if (connection.IsGoAwayDue(_pingAcks) && _scanner.IsAtFrameBoundary)
        {
            WriteGoAway();
        }
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (!_goAwayWritten && connection.IsGoAwayDue(_pingAcks) && _scanner.IsAtFrameBoundary)
        {
            WriteGoAway();
        }

        return _goAwayWritten ? FlushGoAwayAsync(cancellationToken) : transport.FlushAsync(cancellationToken);
    }

    public override void CancelPendingFlush() => transport.CancelPendingFlush();

    public override void Complete(Exception? exception = null)
    {
        if (!_transportCompleted)
        {
            _transportCompleted = true;
            transport.Complete(exception);
        }
    }

    private void Scan(ReadOnlySpan<byte> bytes)
    {
        while (_scanner.TryReadFrameHeader(ref bytes, out var header))
        {
            if (header.Type is Http2FrameHeader.HeadersType or Http2FrameHeader.DataType)
            {
                connection.Strikes.OnServerHeadersOrData();
            }
            else if (header.Type == Http2FrameHeader.PingType && (header.Flags & Http2FrameHeader.AckFlag) != 0)
            {
                _pingAcks++;
            }
        }
    }

    private void WriteGoAway()
    {
        var payloadLength = 8 + TooManyPings.Length;
        var frame = transport.GetSpan(Http2FrameScanner.FrameHeaderLength + payloadLength);
        frame[0] = 0;
        frame[1] = 0;
        frame[2] = (byte)payloadLength;
        frame[3] = Http2FrameHeader.GoAwayType;
        frame[4] = 0;
        BinaryPrimitives.WriteInt32BigEndian(frame[5..], 0);
        BinaryPrimitives.WriteInt32BigEndian(frame[9..], connection.HighestClientStreamId);
        BinaryPrimitives.WriteInt32BigEndian(frame[13..], EnhanceYourCalm);
        TooManyPings.CopyTo(frame[17..]);
        transport.Advance(Http2FrameScanner.FrameHeaderLength + payloadLength);
        _goAwayWritten = true;
        connection.OnGoAwayWritten();
    }

    private async ValueTask<FlushResult> FlushGoAwayAsync(CancellationToken cancellationToken)
    {
        if (!_transportCompleted)
        {
            await transport.FlushAsync(cancellationToken).ConfigureAwait(false);
            Complete();

            // A read Kestrel has waiting on the transport ends now (see PingWatchingPipeReader).
            input.CancelPendingRead();
        }

        return new FlushResult(isCanceled: false, isCompleted: true);
    }

    private Memory<byte> Discard(int sizeHint)
    {
        if (_discarded is null || _discarded.Length < sizeHint)
        {
            _discarded = new byte[Math.Max(sizeHint, 4096)];
        }

        return _discarded;
    }
}
