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
        await client.SendAsync(HpackBlockBuilder.Concat(Preface, SettingsFrame()));
        return client;
    }

    public async Task SendAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    /// <summary>
    /// Reads frames until stream <paramref name="streamId"/> ends, is reset, or the connection goes away;
    /// acknowledges SETTINGS on the way.
    /// </summary>
    public async Task<StreamOutcome> ReadOutcomeAsync(int streamId)
    {
        using var timeout = new CancellationTokenSource(Patience);
        byte[]? responseBlock = null;
        var body = new List<byte>();
        while (true)
        {
            var (type, flags, frameStream, payload) = await ReadFrameAsync(timeout.Token);
            switch (type)
            {
                case Settings when (flags & Ack) == 0:
                    await SendAsync(Frame(Settings, Ack, 0, []));
                    continue;
                case GoAway:
                    return new StreamOutcome(responseBlock, Encoding.ASCII.GetString([.. body]), null, BinaryPrimitives.ReadInt32BigEndian(payload.AsSpan(4)));
                case RstStream when frameStream == streamId:
                    return new StreamOutcome(responseBlock, Encoding.ASCII.GetString([.. body]), BinaryPrimitives.ReadInt32BigEndian(payload), null);
                case Headers when frameStream == streamId:
                    responseBlock ??= payload;
                    break;
                case Data when frameStream == streamId:
                    body.AddRange(payload);
                    break;
                default:
                    continue;
            }

            if ((flags & EndStream) != 0)
            {
                return new StreamOutcome(responseBlock, Encoding.ASCII.GetString([.. body]), null, null);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
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
