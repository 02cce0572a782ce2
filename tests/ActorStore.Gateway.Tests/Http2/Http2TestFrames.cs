using System.Buffers.Binary;
using System.Text;

namespace ActorStore.Gateway.Tests.Http2;

/// <summary>Builds raw HTTP/2 frames (RFC 7540 section 4.1) for tests.</summary>
public static class Http2TestFrames
{
    public const byte Data = 0x0;
    public const byte Headers = 0x1;
    public const byte RstStream = 0x3;
    public const byte Settings = 0x4;
    public const byte Ping = 0x6;
    public const byte GoAway = 0x7;
    public const byte WindowUpdate = 0x8;
    public const byte Continuation = 0x9;

    public const byte EndStream = 0x1;
    public const byte Ack = 0x1;
    public const byte EndHeaders = 0x4;
    public const byte Padded = 0x8;
    public const byte Priority = 0x20;

    public static byte[] Preface { get; } = Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(part => part).ToArray();

    public static byte[] Frame(byte type, byte flags, int streamId, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(payload.Length >> 16);
        frame[1] = (byte)(payload.Length >> 8);
        frame[2] = (byte)payload.Length;
        frame[3] = type;
        frame[4] = flags;
        frame[5] = (byte)(streamId >> 24);
        frame[6] = (byte)(streamId >> 16);
        frame[7] = (byte)(streamId >> 8);
        frame[8] = (byte)streamId;
        payload.CopyTo(frame.AsSpan(9));
        return frame;
    }

    /// <summary>A HEADERS frame; <paramref name="padding"/> adds PADDED, <paramref name="priority"/> adds PRIORITY.</summary>
    public static byte[] HeadersFrame(int streamId, byte[] fragment, bool endHeaders = true, bool endStream = true, int padding = -1, byte[]? priority = null)
    {
        var flags = (byte)((endHeaders ? EndHeaders : 0) | (endStream ? EndStream : 0));
        var payload = new List<byte>();
        if (padding >= 0)
        {
            flags |= Padded;
            payload.Add((byte)padding);
        }

        if (priority is not null)
        {
            flags |= Priority;
            payload.AddRange(priority);
        }

        payload.AddRange(fragment);
        payload.AddRange(new byte[Math.Max(padding, 0)]);
        return Frame(Headers, flags, streamId, payload.ToArray());
    }

    public static byte[] ContinuationFrame(int streamId, byte[] fragment, bool endHeaders) =>
        Frame(Continuation, endHeaders ? EndHeaders : (byte)0, streamId, fragment);

    /// <summary>A PING (not an acknowledgement) whose 8 octets carry <paramref name="number"/>.</summary>
    public static byte[] PingFrame(int number)
    {
        var payload = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(payload, number);
        return Frame(Ping, 0, 0, payload);
    }

    /// <summary>
    /// PING acknowledgements ("ping ack N") and GOAWAYs ("goaway last=N code=N debug-data") spelled out; the frames
    /// servers differ in (WINDOW_UPDATE, SETTINGS acks, ...) left out.
    /// </summary>
    public static List<string> DescribePingAcksAndGoAways(IEnumerable<(byte Type, byte Flags, int StreamId, byte[] Payload)> frames) =>
        frames
            .Where(frame => frame.Type == GoAway || (frame.Type == Ping && (frame.Flags & Ack) != 0))
            .Select(frame => frame.Type == Ping
                ? $"ping ack {BinaryPrimitives.ReadInt64BigEndian(frame.Payload)}"
                : $"goaway last={BinaryPrimitives.ReadInt32BigEndian(frame.Payload)} code={BinaryPrimitives.ReadInt32BigEndian(frame.Payload.AsSpan(4))} {Encoding.ASCII.GetString(frame.Payload.AsSpan(8))}")
            .ToList();

    public static byte[] SettingsFrame() => Frame(Settings, 0, 0, []);

    public static byte[] DataFrame(int streamId, byte[] payload, bool endStream) =>
        Frame(Data, endStream ? EndStream : (byte)0, streamId, payload);

    /// <summary>The frames in <paramref name="bytes"/> after the preface: type, flags, stream id and payload.</summary>
    public static List<(byte Type, byte Flags, int StreamId, byte[] Payload)> ParseFrames(ReadOnlySpan<byte> bytes)
    {
        var frames = new List<(byte, byte, int, byte[])>();
        while (bytes.Length >= 9)
        {
            var length = (bytes[0] << 16) | (bytes[1] << 8) | bytes[2];
            var streamId = ((bytes[5] & 0x7F) << 24) | (bytes[6] << 16) | (bytes[7] << 8) | bytes[8];
            frames.Add((bytes[3], bytes[4], streamId, bytes.Slice(9, length).ToArray()));
            bytes = bytes[(9 + length)..];
        }

        if (!bytes.IsEmpty)
        {
            throw new InvalidOperationException($"{bytes.Length} bytes left after the last whole frame.");
        }

        return frames;
    }
}
