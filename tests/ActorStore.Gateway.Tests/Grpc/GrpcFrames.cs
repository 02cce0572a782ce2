using System.Buffers.Binary;
using System.IO.Compression;
using Google.Protobuf;

namespace ActorStore.Gateway.Tests.Grpc;

/// <summary>gRPC's length-prefixed messages (flag, 4-byte big-endian length, payload) as raw bytes, for raw HTTP/2 requests.</summary>
public static class GrpcFrames
{
    public static byte[] Frame(IMessage message) => Prefixed(compressed: false, message.ToByteArray());

    public static byte[] GzipFrame(IMessage message)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            message.WriteTo(gzip);
        }

        return Prefixed(compressed: true, compressed.ToArray());
    }

    /// <summary>The messages in a response body, uncompressing those flagged as gzip.</summary>
    public static List<T> Parse<T>(ReadOnlySpan<byte> body, MessageParser<T> parser)
        where T : IMessage<T>
    {
        var messages = new List<T>();
        while (body.Length >= 5)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(body[1..]);
            var payload = body.Slice(5, length).ToArray();
            if (body[0] == 1)
            {
                using var gzip = new GZipStream(new MemoryStream(payload), CompressionMode.Decompress);
                using var plain = new MemoryStream();
                gzip.CopyTo(plain);
                payload = plain.ToArray();
            }

            messages.Add(parser.ParseFrom(payload));
            body = body[(5 + length)..];
        }

        return messages;
    }

    private static byte[] Prefixed(bool compressed, byte[] payload)
    {
        var frame = new byte[5 + payload.Length];
        frame[0] = compressed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(frame, 5);
        return frame;
    }
}
