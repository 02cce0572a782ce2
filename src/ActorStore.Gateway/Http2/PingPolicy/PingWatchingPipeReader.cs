using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace ActorStore.Gateway.Http2.PingPolicy;

/// <summary>
/// The connection input Kestrel reads: the transport's own buffers, unchanged, whose frame headers are scanned for
/// the client's PINGs and new streams on the way. Once the GOAWAY for too many pings is written, the input ends.
/// </summary>
public sealed class PingWatchingPipeReader(PipeReader transport, PingPolicyConnection connection) : PipeReader
{
    private static readonly ReadResult Ended = new(ReadOnlySequence<byte>.Empty, isCanceled: false, isCompleted: true);

    private readonly Http2FrameScanner _scanner = new(expectClientPreface: true);
    private ReadOnlySequence<byte> _buffer;
    private long _scannedLength;

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (connection.IsClosing)
        {
            return new ValueTask<ReadResult>(Ended);
        }

        if (_scanner.IsNotHttp2)
        {
            return transport.ReadAsync(cancellationToken);
        }

        var pending = transport.ReadAsync(cancellationToken);
        if (pending.IsCompletedSuccessfully)
        {
            return new ValueTask<ReadResult>(Scanned(pending.Result));
        }

        return ReadSlowlyAsync(pending);
    }

    public override bool TryRead(out ReadResult result)
    {
        if (connection.IsClosing)
        {
            result = Ended;
            return true;
        }

        if (!transport.TryRead(out result))
        {
            return false;
        }

        result = Scanned(result);
        return true;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        if (connection.IsClosing && _buffer.IsEmpty)
        {
            return;
        }

        if (!_scanner.IsNotHttp2)
        {
            _scannedLength -= _buffer.Slice(_buffer.Start, consumed).Length;
            _buffer = default;
        }

        transport.AdvanceTo(consumed, examined);
    }

    public override void CancelPendingRead() => transport.CancelPendingRead();

    public override void Complete(Exception? exception = null) => transport.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => transport.CompleteAsync(exception);

    // Most reads of a busy connection wait for the socket: the state machines are pooled, not allocated per read.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReadResult> ReadSlowlyAsync(ValueTask<ReadResult> pending)
    {
        var result = await pending.ConfigureAwait(false);
        if (connection.IsClosing)
        {
            // The writer cancelled this read to end the connection (see PingPolicyPipeWriter).
            transport.AdvanceTo(result.Buffer.Start);
            return Ended;
        }

        return Scanned(result);
    }

    private ReadResult Scanned(ReadResult result)
    {
        _buffer = result.Buffer;
        if (_scanner.IsNotHttp2 || _scannedLength >= _buffer.Length)
        {
            return result;
        }

        foreach (var segment in _buffer.Slice(_scannedLength))
        {
            var bytes = segment.Span;
            while (_scanner.TryReadFrameHeader(ref bytes, out var header))
            {
                switch (header.Type)
                {
                    case Http2FrameHeader.PingType when (header.Flags & Http2FrameHeader.AckFlag) == 0:
                        connection.OnClientPing();
                        break;
                    case Http2FrameHeader.HeadersType:
                        connection.OnClientHeaders(header.StreamId);
                        break;
                }
            }
        }

        _scannedLength = _buffer.Length;
        connection.IsNotHttp2 = _scanner.IsNotHttp2;
        return result;
    }
}
