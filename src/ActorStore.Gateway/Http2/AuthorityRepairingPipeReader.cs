using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace ActorStore.Gateway.Http2;

/// <summary>
/// The connection input Kestrel reads through <see cref="Http2AuthorityRepairMiddleware"/>. It works in three modes:
/// <list type="bullet">
/// <item>Inspecting, from the start: hands out slices of the transport's own buffers (no copy), holding back only an
/// incomplete header block until the filter has seen all of it.</item>
/// <item>Direct, once the filter needs nothing more (the usual case, decided by the first header block): every call is
/// forwarded to the transport's reader.</item>
/// <item>Rewriting, once a header block needs repair: bytes are filtered into a private pipe, which Kestrel reads.</item>
/// </list>
/// The transport is only read while Kestrel reads, so its back-pressure, cancellation, completion and errors reach
/// Kestrel as they would without this reader; no background loop runs.
/// </summary>
public sealed class AuthorityRepairingPipeReader(PipeReader transport) : PipeReader
{
    private static readonly PipeOptions RewrittenPipeOptions = new(
        pauseWriterThreshold: 0,
        resumeWriterThreshold: 0,
        readerScheduler: PipeScheduler.Inline,
        writerScheduler: PipeScheduler.Inline,
        useSynchronizationContext: false);

    private readonly Http2FrameFilter _filter = new();
    private Mode _mode;

    // Inspecting: offsets count bytes from the start of the connection.
    private ReadOnlySequence<byte> _transportBuffer;
    private long _transportBufferOffset;
    private long _inspectedOffset;
    private long _examinedOffset;

    // Rewriting.
    private Pipe? _rewritten;
    private ReadOnlySequence<byte> _rewrittenBuffer;
    private bool _rewrittenUnexamined;
    private bool _rewrittenWriterCompleted;

    private enum Mode
    {
        Inspecting,
        Direct,
        Rewriting,
    }

    /// <summary>True once a header block on this connection has been repaired (for tests and diagnostics).</summary>
    public bool IsRepairing => _mode == Mode.Rewriting;

    /// <summary>True once the connection is read without any filtering.</summary>
    public bool IsDirect => _mode == Mode.Direct;

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default) => _mode switch
    {
        Mode.Direct => transport.ReadAsync(cancellationToken),
        Mode.Inspecting => ReadInspectingAsync(cancellationToken),
        _ => ReadRewritingAsync(cancellationToken),
    };

    public override bool TryRead(out ReadResult result)
    {
        switch (_mode)
        {
            case Mode.Direct:
                return transport.TryRead(out result);
            case Mode.Rewriting when _rewrittenUnexamined && _rewritten!.Reader.TryRead(out result):
                _rewrittenBuffer = result.Buffer;
                return true;
            default:
                // Filtering happens in ReadAsync; callers fall back to it.
                result = default;
                return false;
        }
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        switch (_mode)
        {
            case Mode.Direct:
                transport.AdvanceTo(consumed, examined);
                break;

            case Mode.Inspecting:
                var examinedOffset = _transportBufferOffset + _transportBuffer.Slice(0, examined).Length;
                _examinedOffset = Math.Max(_examinedOffset, examinedOffset);
                _transportBufferOffset += _transportBuffer.Slice(0, consumed).Length;

                // Having seen all we handed out, Kestrel waits for bytes that the transport does not have yet,
                // not for those held back.
                transport.AdvanceTo(consumed, examinedOffset >= _inspectedOffset ? _transportBuffer.End : examined);
                _transportBuffer = default;
                break;

            default:
                _rewrittenUnexamined = _rewrittenBuffer.Slice(examined).Length > 0;
                _rewritten!.Reader.AdvanceTo(consumed, examined);
                break;
        }
    }

    public override void CancelPendingRead() => transport.CancelPendingRead();

    public override void Complete(Exception? exception = null)
    {
        transport.Complete(exception);
        ReleaseBuffers();
    }

    /// <summary>Returns the private pipe's memory to its pool; safe to call more than once.</summary>
    public void ReleaseBuffers()
    {
        if (_rewritten is { } pipe)
        {
            pipe.Writer.Complete();
            pipe.Reader.Complete();
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReadResult> ReadInspectingAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await transport.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var status = _filter.Filter(buffer.Slice(_inspectedOffset - _transportBufferOffset), null, out var inspected);
            _inspectedOffset += inspected;
            var cleared = buffer.Slice(0, _inspectedOffset - _transportBufferOffset);
            if (status == Http2FilterStatus.RewriteRequired)
            {
                StartRewriting(cleared);
                return await ReadRewritingAsync(cancellationToken).ConfigureAwait(false);
            }

            if (status == Http2FilterStatus.PassThrough || result.IsCompleted)
            {
                // From here on Kestrel reads the transport itself; an incomplete tail is its to reject.
                _mode = Mode.Direct;
                return result;
            }

            if (result.IsCanceled || _inspectedOffset > _examinedOffset)
            {
                _transportBuffer = buffer;
                return new ReadResult(cleared, result.IsCanceled, isCompleted: false);
            }

            // Nothing new for Kestrel yet: only part of a header block arrived.
            transport.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Moves what Kestrel has not consumed yet (all inspected, unchanged) into the private pipe.</summary>
    private void StartRewriting(in ReadOnlySequence<byte> unconsumed)
    {
        _rewritten = new Pipe(RewrittenPipeOptions);
        foreach (var segment in unconsumed)
        {
            _rewritten.Writer.Write(segment.Span);
        }

        transport.AdvanceTo(unconsumed.End);
        _mode = Mode.Rewriting;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReadResult> ReadRewritingAsync(CancellationToken cancellationToken)
    {
        var pipe = _rewritten!;
        while (!_rewrittenUnexamined && !_rewrittenWriterCompleted)
        {
            var result = await transport.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (result.IsCanceled)
            {
                transport.AdvanceTo(buffer.Start);
                pipe.Reader.CancelPendingRead();
                break;
            }

            _filter.Filter(buffer, pipe.Writer, out var consumed);
            if (result.IsCompleted)
            {
                // The connection ended inside a frame: pass the tail on for Kestrel to reject.
                foreach (var segment in buffer.Slice(consumed))
                {
                    pipe.Writer.Write(segment.Span);
                }

                transport.AdvanceTo(buffer.End);
                await pipe.Writer.CompleteAsync().ConfigureAwait(false);
                _rewrittenWriterCompleted = true;
                break;
            }

            var produced = pipe.Writer.UnflushedBytes > 0;
            transport.AdvanceTo(buffer.GetPosition(consumed), buffer.End);
            if (produced)
            {
                break;
            }
        }

        if (!_rewrittenWriterCompleted)
        {
            await pipe.Writer.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }

        // Never waits: the pipe holds unexamined bytes, was just written or completed, or has a cancellation pending.
        var rewritten = await pipe.Reader.ReadAsync(CancellationToken.None).ConfigureAwait(false);
        _rewrittenBuffer = rewritten.Buffer;
        _rewrittenUnexamined = true;
        return rewritten;
    }
}
