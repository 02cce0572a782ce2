using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using static ActorStore.Gateway.Tests.Http2.Http2TestFrames;

namespace ActorStore.Gateway.Tests.Http2;

/// <summary>
/// Speaks HTTP/2 over a plain socket so tests can send header blocks no HTTP client would (HttpClient refuses to send
/// an :authority that is a URL).
/// </summary>
public sealed class RawHttp2Client : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private RawHttp2Client(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    /// <summary>Connects and sends the preface and an empty SETTINGS frame.</summary>
    public static async Task<RawHttp2Client> ConnectAsync(int port)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var client = new RawHttp2Client(tcp);
        await client.SendAsync(Http2TestFrames.Concat(Preface, SettingsFrame()));
        return client;
    }

    public async Task SendAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    /// <summary>
    /// Reads frames until stream <paramref name="streamId"/> ends, is reset, or the connection goes away;
    /// acknowledges SETTINGS and answers PINGs on the way.
    /// </summary>
    /// <param name="untilGoAway">Stop at GOAWAY; otherwise read on, as streams below its last id go on after it.</param>
    public async Task<StreamOutcome> ReadOutcomeAsync(int streamId, bool untilGoAway = true)
    {
        using var timeout = new CancellationTokenSource(Patience);
        byte[]? responseBlock = null;
        byte[]? lastBlock = null;
        var body = new List<byte>();
        while (true)
        {
            var (type, flags, frameStream, payload) = await ReadFrameAnsweringControlAsync(timeout.Token);
            switch (type)
            {
                case GoAway when untilGoAway:
                    return new StreamOutcome(responseBlock, Encoding.ASCII.GetString([.. body]), null, BinaryPrimitives.ReadInt32BigEndian(payload.AsSpan(4)));
                case RstStream when frameStream == streamId:
                    return new StreamOutcome(responseBlock, Encoding.ASCII.GetString([.. body]), BinaryPrimitives.ReadInt32BigEndian(payload), null);
                case Headers when frameStream == streamId:
                    responseBlock ??= payload;
                    lastBlock = payload;
                    break;
                case Data when frameStream == streamId:
                    body.AddRange(payload);
                    break;
                default:
                    continue;
            }

            if ((flags & EndStream) != 0)
            {
                return new StreamOutcome(responseBlock, Encoding.ASCII.GetString([.. body]), null, null) { EndBlock = lastBlock };
            }
        }
    }

    /// <summary>
    /// Reads stream <paramref name="streamId"/>'s DATA until <paramref name="count"/> whole gRPC messages came, and
    /// returns their payloads; fails if the stream ends first. Acknowledges SETTINGS and answers PINGs on the way.
    /// </summary>
    public async Task<List<byte[]>> ReadGrpcMessagesAsync(int streamId, int count, TimeSpan? patience = null)
    {
        using var timeout = new CancellationTokenSource(patience ?? Patience);
        var body = new List<byte>();
        var messages = new List<byte[]>();
        while (messages.Count < count)
        {
            var (type, flags, frameStream, payload) = await ReadFrameAnsweringControlAsync(timeout.Token);
            switch (type)
            {
                case RstStream when frameStream == streamId:
                    throw new InvalidOperationException($"stream {streamId} was reset ({BinaryPrimitives.ReadInt32BigEndian(payload)})");
                case Data when frameStream == streamId:
                    body.AddRange(payload);
                    while (body.Count >= 5 && body.Count >= 5 + BinaryPrimitives.ReadInt32BigEndian(body.ToArray().AsSpan(1, 4)))
                    {
                        var length = BinaryPrimitives.ReadInt32BigEndian(body.ToArray().AsSpan(1, 4));
                        messages.Add(body.GetRange(5, length).ToArray());
                        body.RemoveRange(0, 5 + length);
                    }

                    break;
            }

            if (frameStream == streamId && (flags & EndStream) != 0 && type is Data or Headers)
            {
                throw new InvalidOperationException($"stream {streamId} ended after {messages.Count} of {count} messages");
            }
        }

        return messages;
    }

    /// <summary>
    /// Every frame the server sends until it closes the connection (SETTINGS and the server's own PINGs are answered
    /// on the way and left out); fails if the connection is still open after <paramref name="patience"/>.
    /// </summary>
    public async Task<List<(byte Type, byte Flags, int StreamId, byte[] Payload)>> ReadUntilClosedAsync(TimeSpan patience)
    {
        using var timeout = new CancellationTokenSource(patience);
        var frames = new List<(byte Type, byte Flags, int StreamId, byte[] Payload)>();
        while (true)
        {
            try
            {
                frames.Add(await ReadFrameAnsweringControlAsync(timeout.Token));
            }
            catch (Exception e) when (e is EndOfStreamException or IOException && !timeout.IsCancellationRequested)
            {
                return frames;
            }
        }
    }

    /// <summary>The next frame that is not the server's SETTINGS or PING.</summary>
    public async Task<(byte Type, byte Flags, int StreamId, byte[] Payload)> ReadFrameAsync(TimeSpan patience)
    {
        using var timeout = new CancellationTokenSource(patience);
        return await ReadFrameAnsweringControlAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }

    /// <summary>The next frame that is not the peer's SETTINGS or PING, which are acknowledged and answered on the way.</summary>
    private async Task<(byte Type, byte Flags, int StreamId, byte[] Payload)> ReadFrameAnsweringControlAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var frame = await ReadFrameAsync(cancellationToken);
            if (frame.Type == Settings && (frame.Flags & Ack) == 0)
            {
                await SendAsync(Frame(Settings, Ack, 0, []));
            }
            else if (frame.Type == Ping && (frame.Flags & Ack) == 0)
            {
                // Kestrel's graceful shutdown waits for the answer to its PING before it closes the connection.
                await SendAsync(Frame(Ping, Ack, 0, frame.Payload));
            }
            else
            {
                return frame;
            }
        }
    }

    private async Task<(byte Type, byte Flags, int StreamId, byte[] Payload)> ReadFrameAsync(CancellationToken cancellationToken)
    {
        var header = new byte[9];
        await _stream.ReadExactlyAsync(header, cancellationToken);
        var payload = new byte[(header[0] << 16) | (header[1] << 8) | header[2]];
        await _stream.ReadExactlyAsync(payload, cancellationToken);
        return (header[3], header[4], BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(5)) & int.MaxValue, payload);
    }
}
