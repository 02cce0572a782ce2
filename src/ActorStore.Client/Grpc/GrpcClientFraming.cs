using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using ActorStore.Protocol.Errors;
using Google.Protobuf;

namespace ActorStore.Client.Grpc;

/// <summary>gRPC length-prefixed messages on the client side: framing requests, reading responses from the body stream.</summary>
internal static class GrpcClientFraming
{
    public const int HeaderSize = 5;

    /// <summary>Frames a message into a fresh array: HTTP content may be sent again on retry, so it must not be pooled.</summary>
    public static byte[] Frame(IMessage message, int maxMessageSize)
    {
        var size = CheckedSize(message, maxMessageSize);
        var frame = new byte[HeaderSize + size];
        WriteFrame(frame, message, size);
        return frame;
    }

    /// <summary>Frames a message into a pooled array; the caller returns it once the write completed.</summary>
    public static byte[] FramePooled(IMessage message, int maxMessageSize, out int length)
    {
        var size = CheckedSize(message, maxMessageSize);
        length = HeaderSize + size;
        var frame = ArrayPool<byte>.Shared.Rent(length);
        WriteFrame(frame, message, size);
        return frame;
    }

    /// <summary>Reads the next message; null when the body ends between messages.</summary>
    public static async ValueTask<T?> ReadMessageAsync<T>(
        Stream body,
        byte[] header,
        MessageParser<T> parser,
        int maxMessageSize,
        bool gzipEncoded,
        CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        var read = await body.ReadAtLeastAsync(header.AsMemory(0, HeaderSize), HeaderSize, throwOnEndOfStream: false, cancellationToken)
            .ConfigureAwait(false);
        if (read == 0)
        {
            return null;
        }

        if (read < HeaderSize)
        {
            throw new RpcException(StatusCode.Internal, "unexpected EOF");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1));
        if (length > (uint)maxMessageSize)
        {
            throw new RpcException(
                StatusCode.ResourceExhausted,
                $"grpc: received message larger than max ({length} vs. {maxMessageSize})");
        }

        var payload = ArrayPool<byte>.Shared.Rent((int)length);
        try
        {
            read = await body.ReadAtLeastAsync(payload.AsMemory(0, (int)length), (int)length, throwOnEndOfStream: false, cancellationToken)
                .ConfigureAwait(false);
            if (read < length)
            {
                throw new RpcException(StatusCode.Internal, "unexpected EOF");
            }

            return Parse(payload.AsSpan(0, (int)length), header[0], parser, maxMessageSize, gzipEncoded);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(payload);
        }
    }

    private static T Parse<T>(ReadOnlySpan<byte> payload, byte flag, MessageParser<T> parser, int maxMessageSize, bool gzipEncoded)
        where T : class, IMessage<T>
    {
        try
        {
            switch (flag)
            {
                case 0:
                    return parser.ParseFrom(payload);
                case 1 when gzipEncoded:
                    return parser.ParseFrom(Gunzip(payload, maxMessageSize));
                case 1:
                    throw new RpcException(StatusCode.Internal, "grpc: compressed flag set with identity or empty encoding");
                default:
                    throw new RpcException(StatusCode.Internal, $"grpc: received unexpected payload format {flag}");
            }
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new RpcException(StatusCode.Internal, $"grpc: failed to unmarshal the received message: {ex.Message}");
        }
    }

    private static byte[] Gunzip(ReadOnlySpan<byte> payload, int maxMessageSize)
    {
        using var gzip = new GZipStream(new MemoryStream(payload.ToArray(), writable: false), CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.Length > maxMessageSize
            ? throw new RpcException(
                StatusCode.ResourceExhausted,
                $"grpc: received message after decompression larger than max ({output.Length} vs. {maxMessageSize})")
            : output.ToArray();
    }

    private static int CheckedSize(IMessage message, int maxMessageSize)
    {
        var size = message.CalculateSize();
        return size > maxMessageSize
            ? throw new RpcException(StatusCode.ResourceExhausted, $"trying to send message larger than max ({size} vs. {maxMessageSize})")
            : size;
    }

    private static void WriteFrame(Span<byte> frame, IMessage message, int size)
    {
        frame[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(frame[1..], (uint)size);
        message.WriteTo(frame.Slice(HeaderSize, size));
    }
}
