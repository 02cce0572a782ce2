using System.Buffers;
using System.Buffers.Binary;
using ActorStore.Protocol.Errors;
using Google.Protobuf;

namespace ActorStore.Gateway.Grpc;

/// <summary>Writes gRPC length-prefixed messages (uncompressed) into a buffer writer such as a response body pipe.</summary>
public static class GrpcMessageWriter
{
    // Small messages go into one span with their prefix; bigger ones stream into the writer's segments.
    private const int SingleSpanLimit = 4096;

    public static void WriteMessage(IBufferWriter<byte> writer, IMessage message, int maxMessageSize)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(message);
        var size = message.CalculateSize();
        if (size > maxMessageSize)
        {
            throw new RpcException(
                StatusCode.ResourceExhausted,
                $"grpc: trying to send message larger than max ({size} vs. {maxMessageSize})");
        }

        var frameSize = GrpcMessageReader.HeaderSize + size;
        if (frameSize <= SingleSpanLimit)
        {
            var span = writer.GetSpan(frameSize);
            WriteHeader(span, size);
            message.WriteTo(span.Slice(GrpcMessageReader.HeaderSize, size));
            writer.Advance(frameSize);
            return;
        }

        WriteHeader(writer.GetSpan(GrpcMessageReader.HeaderSize), size);
        writer.Advance(GrpcMessageReader.HeaderSize);
        message.WriteTo(writer);
    }

    private static void WriteHeader(Span<byte> span, int size)
    {
        span[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)size);
    }
}
