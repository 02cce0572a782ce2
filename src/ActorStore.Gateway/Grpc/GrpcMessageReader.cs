using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using ActorStore.Protocol.Errors;
using Google.Protobuf;

namespace ActorStore.Gateway.Grpc;

/// <summary>
/// Reads gRPC length-prefixed messages (1 byte compressed flag, 4 bytes big-endian length, payload)
/// straight out of a request body pipe, parsing each from the pipe's own buffers.
/// </summary>
public static class GrpcMessageReader
{
    public const int HeaderSize = 5;

    /// <summary>
    /// Reads the next message, or returns null when the body ended cleanly between messages.
    /// Bytes after the message stay in the pipe for the next call.
    /// </summary>
    /// <param name="gzipEncoded">The request declared grpc-encoding gzip, so frames may carry the compressed flag.</param>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<T?> ReadMessageAsync<T>(
        PipeReader reader,
        MessageParser<T> parser,
        int maxMessageSize,
        bool gzipEncoded,
        CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var consumed = buffer.Start;
            try
            {
                if (TryReadFrame(buffer, maxMessageSize, out var compressed, out var payload))
                {
                    consumed = payload.End;
                    return Parse(payload, compressed, parser, maxMessageSize, gzipEncoded);
                }

                if (result.IsCompleted)
                {
                    consumed = buffer.End;
                    return buffer.IsEmpty ? null : throw new RpcException(StatusCode.Internal, "unexpected EOF");
                }

                if (result.IsCanceled)
                {
                    throw new OperationCanceledException("The read of the request body was canceled.");
                }
            }
            finally
            {
                // Everything up to the end was looked at: the next read waits for more bytes unless a frame was taken.
                reader.AdvanceTo(consumed, buffer.End);
            }
        }
    }

    /// <summary>Finds one complete frame at the start of <paramref name="buffer"/>; checks the declared length first.</summary>
    public static bool TryReadFrame(
        in ReadOnlySequence<byte> buffer,
        int maxMessageSize,
        out bool compressed,
        out ReadOnlySequence<byte> payload)
    {
        compressed = false;
        payload = default;
        if (buffer.Length < HeaderSize)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[HeaderSize];
        buffer.Slice(0, HeaderSize).CopyTo(header);
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        if (length > (uint)maxMessageSize)
        {
            throw new RpcException(
                StatusCode.ResourceExhausted,
                $"grpc: received message larger than max ({length} vs. {maxMessageSize})");
        }

        if (buffer.Length - HeaderSize < length)
        {
            return false;
        }

        compressed = header[0] switch
        {
            0 => false,
            1 => true,
            _ => throw new RpcException(StatusCode.Internal, $"grpc: received unexpected payload format {header[0]}"),
        };
        payload = buffer.Slice(HeaderSize, length);
        return true;
    }

    private static T Parse<T>(
        in ReadOnlySequence<byte> payload,
        bool compressed,
        MessageParser<T> parser,
        int maxMessageSize,
        bool gzipEncoded)
        where T : class, IMessage<T>
    {
        try
        {
            if (!compressed)
            {
                return parser.ParseFrom(payload);
            }

            if (!gzipEncoded)
            {
                throw new RpcException(StatusCode.Internal, "grpc: compressed flag set with identity or empty encoding");
            }

            return parser.ParseFrom(Gunzip(payload, maxMessageSize));
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new RpcException(StatusCode.Internal, $"grpc: error unmarshalling request: {ex.Message}");
        }
    }

    // Compressed requests are rare (etcd clients do not compress), so this path may allocate. All in memory: no I/O.
    private static ReadOnlySpan<byte> Gunzip(in ReadOnlySequence<byte> payload, int maxMessageSize)
    {
        using var gzip = new GZipStream(new MemoryStream(payload.ToArray(), writable: false), CompressionMode.Decompress);
        var output = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = gzip.Read(chunk, 0, chunk.Length)) > 0)
            {
                output.Write(chunk, 0, read);
                if (output.Length > maxMessageSize)
                {
                    throw new RpcException(
                        StatusCode.ResourceExhausted,
                        $"grpc: received message after decompression larger than max ({output.Length} vs. {maxMessageSize})");
                }
            }
        }
        catch (InvalidDataException ex)
        {
            throw new RpcException(StatusCode.Internal, $"grpc: failed to decompress the received message: {ex.Message}");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return output.GetBuffer().AsSpan(0, (int)output.Length);
    }
}
