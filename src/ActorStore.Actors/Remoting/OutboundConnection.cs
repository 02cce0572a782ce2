using System.IO.Pipelines;
using System.Net.Sockets;
using System.Threading.Channels;
using ActorStore.Actors.Remoting.Wire;
using Microsoft.Extensions.Logging;

namespace ActorStore.Actors.Remoting;

/// <summary>
/// One handshaken TCP connection of an <see cref="Association"/>. It writes envelopes (and heartbeats when idle);
/// its read side only takes the peer's heartbeats, so a closed, crashed or partitioned peer is noticed even while
/// there is nothing to send.
/// </summary>
internal sealed class OutboundConnection : IAsyncDisposable
{
    /// <summary>A batch stops growing here and is written; bounds memory and latency under a flood.</summary>
    private const int MaxBatchBytes = 256 * 1024;

    private readonly Association _association;
    private readonly Stream _stream;
    private readonly PipeReader _reader;
    private readonly CancellationTokenSource _closed = new();
    private Task _watch = Task.CompletedTask;
    private volatile string? _closeReason;

    private OutboundConnection(Association association, Stream stream, PipeReader reader, ulong remoteMemberId)
    {
        _association = association;
        _stream = stream;
        _reader = reader;
        RemoteMemberId = remoteMemberId;
    }

    public ulong RemoteMemberId { get; }

    /// <summary>Connects, wraps the stream, and completes the handshake, all within the connect timeout.</summary>
    public static async Task<OutboundConnection> OpenAsync(Association association, CancellationToken shutdown)
    {
        var transport = association.Transport;
        var settings = transport.Settings;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        timeout.CancelAfter(settings.ConnectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream? stream = null;
        PipeReader? reader = null;
        try
        {
            await socket.ConnectAsync(association.Host, association.Port, timeout.Token).ConfigureAwait(false);
            stream = new NetworkStream(socket, ownsSocket: true);
            if (settings.StreamWrapper is { } wrap)
            {
                stream = await wrap(stream, false, timeout.Token).ConfigureAwait(false);
            }
            var hello = new Handshake
            {
                Magic = Frames.Magic,
                ProtocolVersion = Frames.ProtocolVersion,
                ClusterId = transport.ClusterId,
                MemberId = transport.MemberId,
                Address = transport.Address,
            };
            await stream.WriteAsync(Frames.Encode(FrameKind.Handshake, hello), timeout.Token).ConfigureAwait(false);
            await stream.FlushAsync(timeout.Token).ConfigureAwait(false);
            reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 4096, leaveOpen: true));
            var remoteMemberId = await ReadReplyAsync(association, reader, timeout.Token).ConfigureAwait(false);
            return new OutboundConnection(association, stream, reader, remoteMemberId);
        }
        catch (Exception ex)
        {
            if (reader is not null)
            {
                await reader.CompleteAsync().ConfigureAwait(false);
            }
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                socket.Dispose();
            }
            if (ex is OperationCanceledException && !shutdown.IsCancellationRequested)
            {
                throw new TimeoutException($"connect and handshake took longer than {settings.ConnectTimeout.TotalMilliseconds:0} ms", ex);
            }
            throw;
        }
    }

    /// <summary>
    /// Writes queued messages until the connection fails (throws) or the queue is completed (returns).
    /// Each round drains what is queued into one buffer and writes and flushes it once.
    /// </summary>
    public async Task PumpAsync(ChannelReader<OutboundMessage> queue, CancellationToken shutdown)
    {
        _watch = WatchForCloseAsync();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(shutdown, _closed.Token);
        var token = linked.Token;
        var heartbeatInterval = _association.Transport.Settings.HeartbeatInterval;
        var heartbeat = Frames.NewHeartbeatFrame();
        using var batch = new OutboundBatch();
        try
        {
            while (true)
            {
                if (!queue.TryRead(out var message))
                {
                    var waiting = queue.WaitToReadAsync(token);
                    var more = waiting.IsCompleted
                        ? await waiting.ConfigureAwait(false)
                        : await WaitOrHeartbeatAsync(waiting.AsTask(), heartbeat, heartbeatInterval, token).ConfigureAwait(false);
                    if (!more)
                    {
                        return;
                    }
                    continue;
                }
                do
                {
                    Encode(batch, message);
                }
                while (batch.Length < MaxBatchBytes && queue.TryRead(out message));

                if (batch.MessageCount > 0)
                {
                    await _stream.WriteAsync(batch.Written, token).ConfigureAwait(false);
                    await _stream.FlushAsync(token).ConfigureAwait(false);
                    _association.CountSent(batch.MessageCount);
                }
                batch.Reset();
            }
        }
        catch (OperationCanceledException) when (_closed.IsCancellationRequested && !shutdown.IsCancellationRequested)
        {
            throw new IOException(_closeReason ?? "connection closed by the peer");
        }
        finally
        {
            _association.CountLost(batch.MessageCount);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _closed.Cancel();
        await _watch.ConfigureAwait(false);
        await _reader.CompleteAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        _closed.Dispose();
    }

    private static async Task<ulong> ReadReplyAsync(Association association, PipeReader reader, CancellationToken token)
    {
        var transport = association.Transport;
        while (true)
        {
            var result = await reader.ReadAsync(token).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (Frames.TryRead(ref buffer, Frames.MaxHandshakeFrameSize, out var kind, out var body))
            {
                try
                {
                    switch (kind)
                    {
                        case FrameKind.HandshakeAccepted:
                            var accepted = Frames.ParseBody(Handshake.Parser, body);
                            if (accepted.Magic != Frames.Magic || accepted.ClusterId != transport.ClusterId)
                            {
                                throw new MalformedFrameException("the peer accepted with a foreign magic or cluster id");
                            }
                            return accepted.MemberId;
                        case FrameKind.HandshakeRejected:
                            var rejected = Frames.ParseBody(HandshakeRejected.Parser, body);
                            if (rejected.ClusterId != transport.ClusterId)
                            {
                                transport.Log.LogWarning(
                                    "request sent was ignored by remote peer due to cluster ID mismatch (remote-peer {Address}, remote-peer-id {RemoteMemberId:x}, remote-peer-cluster-id {RemoteClusterId:x}, local-member-id {LocalMemberId:x}, local-member-cluster-id {LocalClusterId:x})",
                                    association.Address, rejected.MemberId, rejected.ClusterId, transport.MemberId, transport.ClusterId);
                            }
                            throw new IOException($"the peer refused the handshake: {rejected.Reason}");
                        default:
                            throw new MalformedFrameException($"expected a handshake reply, got frame kind {(byte)kind}");
                    }
                }
                finally
                {
                    reader.AdvanceTo(buffer.Start);
                }
            }
            if (result.IsCompleted)
            {
                throw new IOException("the peer closed the connection during the handshake");
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private void Encode(OutboundBatch batch, in OutboundMessage message)
    {
        var transport = _association.Transport;
        ReadOnlySpan<char> senderAddress = default;
        ReadOnlySpan<char> senderPath = default;
        switch (message.Sender)
        {
            case RemoteActorRef remote:
                senderAddress = remote.Address;
                senderPath = remote.RelativePath;
                break;
            case InternalActorRef local when ReferenceEquals(local.System, transport.System):
                if (local is PromiseActorRef promise)
                {
                    transport.Resolver.RegisterTemporary(promise);
                }
                senderAddress = transport.Address;
                senderPath = ActorPathText.Relative(local.Path);
                break;
            default:
                // No sender, Nobody, or a ref of another system in this process: replies have nowhere to go.
                break;
        }

        var lengthBefore = batch.Length;
        long frameLength;
        try
        {
            frameLength = EnvelopeEncoder.Append(batch, message.Recipient.RelativePathUtf8, senderAddress, senderPath,
                message.Serializer, message.Message, transport.Settings.MaxFrameSize);
        }
        catch (Exception ex)
        {
            batch.Truncate(lengthBefore);
            transport.Log.LogError(ex, "Could not serialize {MessageType} for {Recipient}; dropped", message.Message.GetType().Name, message.Recipient.Path);
            _association.Drop(message);
            return;
        }
        if (frameLength <= transport.Settings.MaxFrameSize)
        {
            batch.CompleteMessage();
        }
        else
        {
            transport.Log.LogWarning("Dropped {MessageType} for {Recipient}: its frame of {FrameLength} bytes exceeds the maximum frame size {MaxFrameSize}",
                message.Message.GetType().Name, message.Recipient.Path, frameLength, transport.Settings.MaxFrameSize);
            _association.Drop(message);
        }
    }

    /// <summary>Waits for the queue; while it stays empty, keeps the peer informed that this side is alive.</summary>
    private async Task<bool> WaitOrHeartbeatAsync(Task<bool> waiting, byte[] heartbeat, TimeSpan interval, CancellationToken token)
    {
        while (true)
        {
            try
            {
                return await waiting.WaitAsync(interval, token).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                await _stream.WriteAsync(heartbeat, token).ConfigureAwait(false);
                await _stream.FlushAsync(token).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Reads the peer's heartbeats; ends (and closes the connection) when the peer closes, sends anything else,
    /// or stays silent longer than the heartbeat timeout.
    /// </summary>
    private async Task WatchForCloseAsync()
    {
        var settings = _association.Transport.Settings;
        using var silence = CancellationTokenSource.CreateLinkedTokenSource(_closed.Token);
        try
        {
            silence.CancelAfter(settings.HeartbeatTimeout);
            while (true)
            {
                var result = await _reader.ReadAsync(silence.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                while (Frames.TryRead(ref buffer, Frames.MaxHandshakeFrameSize, out var kind, out _))
                {
                    if (kind != FrameKind.Heartbeat)
                    {
                        _closeReason = $"the peer sent an unexpected frame kind {(byte)kind}";
                        return;
                    }
                }
                if (result.IsCompleted)
                {
                    _closeReason = "connection closed by the peer";
                    return;
                }
                _reader.AdvanceTo(buffer.Start, buffer.End);
                silence.CancelAfter(settings.HeartbeatTimeout);
            }
        }
        catch (OperationCanceledException) when (silence.IsCancellationRequested && !_closed.IsCancellationRequested)
        {
            _closeReason = $"no heartbeat from the peer within {settings.HeartbeatTimeout.TotalMilliseconds:0} ms";
        }
        catch (Exception ex)
        {
            // Cancelled by DisposeAsync, or the connection broke: either way it is closed now.
            _closeReason ??= ex.Message;
        }
        finally
        {
            try
            {
                _closed.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
