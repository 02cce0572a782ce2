using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using ActorStore.Actors.Remoting.Wire;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using WireEnvelope = ActorStore.Actors.Remoting.Wire.Envelope;

namespace ActorStore.Actors.Remoting;

/// <summary>
/// One accepted connection: checks the peer's handshake (magic, version, cluster id), answers it, then delivers
/// each envelope to the local actor at its recipient path. Anything that breaks the framing closes this
/// connection only; a message that merely cannot be decoded or delivered is logged and dropped.
/// </summary>
internal sealed class InboundConnection
{
    private const int MaxCachedRecipients = 1024;
    private const int MaxReportedManifests = 64;
    private const int ReadBufferSize = 64 * 1024;

    private readonly RemoteTransport _transport;
    private readonly Socket _socket;
    private readonly string _remoteEndPoint;

    // Owned by the read loop (one thread at a time).
    private readonly Dictionary<string, ActorCell> _recipients = new(StringComparer.Ordinal);
    private HashSet<string>? _reportedManifests;
    private string _peerAddress = "unknown";

    public InboundConnection(RemoteTransport transport, Socket socket)
    {
        _transport = transport;
        _socket = socket;
        _remoteEndPoint = socket.RemoteEndPoint?.ToString() ?? "unknown";
    }

    public async Task RunAsync()
    {
        var shutdown = _transport.ShutdownToken;
        var settings = _transport.Settings;
        var log = _transport.Log;
        Stream stream = new NetworkStream(_socket, ownsSocket: true);
        PipeReader? reader = null;
        try
        {
            _socket.NoDelay = true;
            using (var handshakeTimeout = CancellationTokenSource.CreateLinkedTokenSource(shutdown))
            {
                handshakeTimeout.CancelAfter(settings.ConnectTimeout);
                if (settings.StreamWrapper is { } wrap)
                {
                    stream = await wrap(stream, true, handshakeTimeout.Token).ConfigureAwait(false);
                }
                reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: ReadBufferSize, leaveOpen: true));
                var handshake = await ReadHandshakeAsync(reader, handshakeTimeout.Token).ConfigureAwait(false);
                if (!await AnswerHandshakeAsync(stream, handshake, handshakeTimeout.Token).ConfigureAwait(false))
                {
                    return;
                }
            }
            await ReceiveAsync(stream, reader, shutdown).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
        }
        catch (OperationCanceledException)
        {
            log.LogWarning("Closed connection from {RemoteEndPoint}: no handshake within {TimeoutMs:0} ms", _remoteEndPoint, settings.ConnectTimeout.TotalMilliseconds);
        }
        catch (MalformedFrameException ex)
        {
            log.LogWarning("Closed connection from {Peer} ({RemoteEndPoint}): malformed frame: {Reason}", _peerAddress, _remoteEndPoint, ex.Message);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            log.LogDebug("Connection from {Peer} ({RemoteEndPoint}) ended: {Reason}", _peerAddress, _remoteEndPoint, ex.Message);
        }
        catch (Exception ex)
        {
            log.LogWarning(ex, "Closed connection from {Peer} ({RemoteEndPoint}) after an unexpected error", _peerAddress, _remoteEndPoint);
        }
        finally
        {
            if (reader is not null)
            {
                await reader.CompleteAsync().ConfigureAwait(false);
            }
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<Handshake> ReadHandshakeAsync(PipeReader reader, CancellationToken token)
    {
        while (true)
        {
            var result = await reader.ReadAsync(token).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (Frames.TryRead(ref buffer, Frames.MaxHandshakeFrameSize, out var kind, out var body))
            {
                if (kind != FrameKind.Handshake)
                {
                    throw new MalformedFrameException($"expected a handshake, got frame kind {(byte)kind}");
                }
                var handshake = Frames.ParseBody(Handshake.Parser, body);
                reader.AdvanceTo(buffer.Start);
                return handshake;
            }
            if (result.IsCompleted)
            {
                throw new IOException("closed before completing a handshake");
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Accepts (true) or refuses (false) the peer, telling it which.</summary>
    private async Task<bool> AnswerHandshakeAsync(Stream stream, Handshake handshake, CancellationToken token)
    {
        var settings = _transport.Settings;
        var log = _transport.Log;
        if (handshake.Magic != Frames.Magic)
        {
            throw new MalformedFrameException($"bad magic 0x{handshake.Magic:x8} in handshake");
        }
        _peerAddress = handshake.Address;
        string? refusal = null;
        if (handshake.ProtocolVersion != Frames.ProtocolVersion)
        {
            refusal = $"unsupported protocol version {handshake.ProtocolVersion} (supported: {Frames.ProtocolVersion})";
            log.LogWarning("Rejected connection from {Peer} ({RemoteEndPoint}): {Reason}", _peerAddress, _remoteEndPoint, refusal);
        }
        else if (!_transport.TryAdoptClusterId(handshake.ClusterId))
        {
            refusal = "cluster ID mismatch";
            log.LogWarning(
                "request cluster ID mismatch: rejected connection from {Peer} ({RemoteEndPoint}) (remote-peer-id {RemoteMemberId:x}, remote-peer-cluster-id {RemoteClusterId:x}, local-member-id {LocalMemberId:x}, local-member-cluster-id {LocalClusterId:x})",
                _peerAddress, _remoteEndPoint, handshake.MemberId, handshake.ClusterId, _transport.MemberId, _transport.ClusterId);
        }

        byte[] reply = refusal is null
            ? Frames.Encode(FrameKind.HandshakeAccepted, new Handshake
            {
                Magic = Frames.Magic,
                ProtocolVersion = Frames.ProtocolVersion,
                ClusterId = _transport.ClusterId,
                MemberId = _transport.MemberId,
                Address = _transport.Address,
            })
            : Frames.Encode(FrameKind.HandshakeRejected, new HandshakeRejected
            {
                Reason = refusal,
                ClusterId = _transport.ClusterId,
                MemberId = _transport.MemberId,
            });
        await stream.WriteAsync(reply, token).ConfigureAwait(false);
        await stream.FlushAsync(token).ConfigureAwait(false);
        if (refusal is null)
        {
            log.LogDebug("Accepted connection from {Peer} ({RemoteEndPoint}, member {RemoteMemberId:x})", _peerAddress, _remoteEndPoint, handshake.MemberId);
        }
        return refusal is null;
    }

    /// <summary>
    /// Delivers envelopes until the peer closes, breaks the protocol, or stays silent past the heartbeat timeout;
    /// meanwhile a companion loop sends this side's heartbeats, the only thing written after the handshake.
    /// </summary>
    private async Task ReceiveAsync(Stream stream, PipeReader reader, CancellationToken shutdown)
    {
        var settings = _transport.Settings;
        var maxFrameSize = settings.MaxFrameSize;
        using var silence = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        using var stopHeartbeats = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        var heartbeats = SendHeartbeatsAsync(stream, settings.HeartbeatInterval, stopHeartbeats.Token);
        try
        {
            silence.CancelAfter(settings.HeartbeatTimeout);
            while (true)
            {
                ReadResult result;
                try
                {
                    result = await reader.ReadAsync(silence.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!shutdown.IsCancellationRequested)
                {
                    _transport.Log.LogWarning("Closed connection from {Peer} ({RemoteEndPoint}): nothing received within {TimeoutMs:0} ms",
                        _peerAddress, _remoteEndPoint, settings.HeartbeatTimeout.TotalMilliseconds);
                    return;
                }
                var buffer = result.Buffer;
                while (Frames.TryRead(ref buffer, maxFrameSize, out var kind, out var body))
                {
                    switch (kind)
                    {
                        case FrameKind.Envelope:
                            Deliver(body);
                            break;
                        case FrameKind.Heartbeat:
                            break;
                        default:
                            throw new MalformedFrameException($"unexpected frame kind {(byte)kind} after the handshake");
                    }
                }
                if (result.IsCompleted)
                {
                    if (!buffer.IsEmpty)
                    {
                        _transport.Log.LogDebug("Connection from {Peer} ended inside a frame ({Bytes} bytes unread)", _peerAddress, buffer.Length);
                    }
                    return;
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
                silence.CancelAfter(settings.HeartbeatTimeout);
            }
        }
        finally
        {
            await stopHeartbeats.CancelAsync().ConfigureAwait(false);
            await heartbeats.ConfigureAwait(false);
        }
    }

    private static async Task SendHeartbeatsAsync(Stream stream, TimeSpan interval, CancellationToken token)
    {
        var heartbeat = Frames.NewHeartbeatFrame();
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
            {
                await stream.WriteAsync(heartbeat, token).ConfigureAwait(false);
                await stream.FlushAsync(token).ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            // Stopped, or the connection broke; the read loop notices the latter on its own.
        }
    }

    private void Deliver(in ReadOnlySequence<byte> body)
    {
        var envelope = Frames.ParseBody(WireEnvelope.Parser, body);
        if (envelope.RecipientPath.Length == 0)
        {
            throw new MalformedFrameException("envelope without a recipient path");
        }
        if (envelope.SerializerId != MessageSerializerRegistry.ProtobufSerializerId)
        {
            DropUndecodable(envelope, $"unknown serializer id {envelope.SerializerId}");
            return;
        }
        if (!_transport.Serializers.TryGetByManifest(envelope.Manifest, out var serializer))
        {
            DropUndecodable(envelope, "unknown manifest");
            return;
        }
        IMessage message;
        try
        {
            message = serializer.Parser.ParseFrom(envelope.Payload);
        }
        catch (InvalidProtocolBufferException ex)
        {
            DropUndecodable(envelope, $"undecodable payload ({ex.Message})");
            return;
        }

        var sender = envelope.SenderPath.Length > 0 ? _transport.GetSenderRef(envelope.SenderAddress, envelope.SenderPath) : null;
        var recipient = ResolveRecipient(envelope.RecipientPath);
        if (recipient is null)
        {
            _transport.Log.LogDebug("No actor at {Recipient} for {Manifest} from {Peer}", envelope.RecipientPath, envelope.Manifest, _peerAddress);
            _transport.System.PublishDeadLetter(message, sender, _transport.System.DeadLetters);
            return;
        }
        recipient.Tell(message, sender);
    }

    private IActorRef? ResolveRecipient(string path)
    {
        if (_recipients.TryGetValue(path, out var cached) && !cached.IsTerminated)
        {
            return cached;
        }
        var resolved = _transport.Resolver.Resolve(path);
        if (resolved is ActorCell cell)
        {
            if (_recipients.Count >= MaxCachedRecipients)
            {
                _recipients.Clear();
            }
            _recipients[path] = cell;
        }
        return resolved;
    }

    private void DropUndecodable(WireEnvelope envelope, string reason)
    {
        _transport.CountInboundDrop();
        var reported = _reportedManifests ??= new HashSet<string>(StringComparer.Ordinal);
        // One warning per manifest and connection: a misconfigured peer must not flood the log.
        var level = reported.Count < MaxReportedManifests && reported.Add(envelope.Manifest) ? LogLevel.Warning : LogLevel.Debug;
        if (_transport.Log.IsEnabled(level))
        {
            _transport.Log.Log(level, "Dropped a message for {Recipient} from {Peer}: {Reason} (manifest '{Manifest}', serializer {SerializerId})",
                envelope.RecipientPath, _peerAddress, reason, envelope.Manifest, envelope.SerializerId);
        }
    }
}
