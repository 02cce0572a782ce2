using System.Buffers;
using System.Buffers.Binary;
using Google.Protobuf;

namespace ActorStore.Actors.Remoting;

/// <summary>
/// Framing: a 4-byte big-endian length L, then L bytes = 1 kind byte (<see cref="FrameKind"/>) + body.
/// L never exceeds the configured maximum frame size.
/// </summary>
internal static class Frames
{
    public const int PrefixSize = 4;
    public const int HeaderSize = PrefixSize + 1;

    /// <summary>"ASRF" read as a big-endian number.</summary>
    public const uint Magic = 0x41535246;

    public const uint ProtocolVersion = 1;

    /// <summary>Frames before the handshake completes are tiny; a stranger must not make us buffer megabytes.</summary>
    public const int MaxHandshakeFrameSize = 16 * 1024;

    /// <summary>
    /// Takes one complete frame off the front of <paramref name="buffer"/>; false when more bytes are needed.
    /// Throws <see cref="MalformedFrameException"/> for an empty or oversized frame.
    /// </summary>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, int maxFrameSize, out FrameKind kind, out ReadOnlySequence<byte> body)
    {
        kind = default;
        body = default;
        if (buffer.Length < PrefixSize)
        {
            return false;
        }
        uint length;
        if (buffer.FirstSpan.Length >= PrefixSize)
        {
            length = BinaryPrimitives.ReadUInt32BigEndian(buffer.FirstSpan);
        }
        else
        {
            Span<byte> prefix = stackalloc byte[PrefixSize];
            buffer.Slice(0, PrefixSize).CopyTo(prefix);
            length = BinaryPrimitives.ReadUInt32BigEndian(prefix);
        }
        if (length == 0 || length > (uint)maxFrameSize)
        {
            throw new MalformedFrameException($"frame length {length} is outside 1..{maxFrameSize}");
        }
        if (buffer.Length - PrefixSize < length)
        {
            return false;
        }
        var frame = buffer.Slice(PrefixSize, length);
        kind = (FrameKind)frame.FirstSpan[0];
        body = frame.Slice(1);
        buffer = buffer.Slice(frame.End);
        return true;
    }

    /// <summary>Length 1, kind Heartbeat, no body.</summary>
    public static byte[] NewHeartbeatFrame() => [0, 0, 0, 1, (byte)FrameKind.Heartbeat];

    /// <summary>A whole frame in a new array; for the rare control frames (handshakes), not for envelopes.</summary>
    public static byte[] Encode(FrameKind kind, IMessage body)
    {
        var size = body.CalculateSize();
        var frame = new byte[HeaderSize + size];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)(size + 1));
        frame[PrefixSize] = (byte)kind;
        body.WriteTo(frame.AsSpan(HeaderSize));
        return frame;
    }

    public static T ParseBody<T>(MessageParser<T> parser, in ReadOnlySequence<byte> body)
        where T : IMessage<T>
    {
        try
        {
            return parser.ParseFrom(body);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new MalformedFrameException($"undecodable {typeof(T).Name}: {ex.Message}", ex);
        }
    }
}
