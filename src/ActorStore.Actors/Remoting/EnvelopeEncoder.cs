using System.Buffers.Binary;
using System.Text;
using Google.Protobuf;

namespace ActorStore.Actors.Remoting;

/// <summary>
/// Writes an Envelope frame (see remoting.proto) straight into a batch: the payload message is serialized in place,
/// so sending allocates no intermediate byte arrays. The field layout must stay identical to remoting.proto's Envelope.
/// </summary>
internal static class EnvelopeEncoder
{
    // Protobuf tags: (field number << 3) | wire type; 2 = length-delimited, 0 = varint.
    private const byte RecipientPathTag = (1 << 3) | 2;
    private const byte SenderAddressTag = (2 << 3) | 2;
    private const byte SenderPathTag = (3 << 3) | 2;
    private const byte SerializerIdTag = (4 << 3) | 0;
    private const byte ManifestTag = (5 << 3) | 2;
    private const byte PayloadTag = (6 << 3) | 2;

    /// <summary>
    /// Appends one frame; returns its length (kind + body), or, without touching the batch, a value above
    /// <paramref name="maxFrameSize"/> when the message does not fit in a frame.
    /// </summary>
    public static long Append(
        OutboundBatch batch,
        ReadOnlySpan<byte> recipientPath,
        ReadOnlySpan<char> senderAddress,
        ReadOnlySpan<char> senderPath,
        SerializerEntry serializer,
        IMessage payload,
        int maxFrameSize)
    {
        var hasSender = !senderPath.IsEmpty;
        var senderAddressLength = hasSender ? Encoding.UTF8.GetByteCount(senderAddress) : 0;
        var senderPathLength = hasSender ? Encoding.UTF8.GetByteCount(senderPath) : 0;
        var payloadLength = payload.CalculateSize();
        var bodyLength = FieldLength(recipientPath.Length)
            + (hasSender ? FieldLength(senderAddressLength) + FieldLength(senderPathLength) : 0)
            + 1 + CodedOutputStream.ComputeRawVarint32Size(serializer.SerializerId)
            + FieldLength(serializer.ManifestUtf8.Length)
            + (payloadLength > 0 ? FieldLength(payloadLength) : 0);
        var frameLength = 1 + bodyLength;
        if (frameLength > maxFrameSize)
        {
            return frameLength;
        }

        var frame = batch.Append(Frames.PrefixSize + (int)frameLength);
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)frameLength);
        frame[Frames.PrefixSize] = (byte)FrameKind.Envelope;
        var position = Frames.HeaderSize;
        WriteBytesField(frame, ref position, RecipientPathTag, recipientPath);
        if (hasSender)
        {
            WriteStringField(frame, ref position, SenderAddressTag, senderAddress, senderAddressLength);
            WriteStringField(frame, ref position, SenderPathTag, senderPath, senderPathLength);
        }
        frame[position++] = SerializerIdTag;
        WriteVarint(frame, ref position, serializer.SerializerId);
        WriteBytesField(frame, ref position, ManifestTag, serializer.ManifestUtf8);
        if (payloadLength > 0)
        {
            frame[position++] = PayloadTag;
            WriteVarint(frame, ref position, (uint)payloadLength);
            payload.WriteTo(frame.Slice(position, payloadLength));
            position += payloadLength;
        }
        return position == frame.Length
            ? frameLength
            : throw new InvalidOperationException($"Envelope encoding wrote {position} bytes into a frame of {frame.Length}.");
    }

    private static long FieldLength(int contentLength) => 1L + CodedOutputStream.ComputeRawVarint32Size((uint)contentLength) + contentLength;

    private static void WriteBytesField(Span<byte> frame, ref int position, byte tag, ReadOnlySpan<byte> content)
    {
        frame[position++] = tag;
        WriteVarint(frame, ref position, (uint)content.Length);
        content.CopyTo(frame[position..]);
        position += content.Length;
    }

    private static void WriteStringField(Span<byte> frame, ref int position, byte tag, ReadOnlySpan<char> content, int utf8Length)
    {
        frame[position++] = tag;
        WriteVarint(frame, ref position, (uint)utf8Length);
        position += Encoding.UTF8.GetBytes(content, frame.Slice(position, utf8Length));
    }

    private static void WriteVarint(Span<byte> frame, ref int position, uint value)
    {
        while (value >= 0x80)
        {
            frame[position++] = (byte)(value | 0x80);
            value >>= 7;
        }
        frame[position++] = (byte)value;
    }
}
