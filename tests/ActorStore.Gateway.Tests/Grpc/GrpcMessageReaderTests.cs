using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Pipelines;
using ActorStore.Gateway.Grpc;
using ActorStore.Protocol.Errors;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Xunit;

namespace ActorStore.Gateway.Tests.Grpc;

public sealed class GrpcMessageReaderTests
{
    private const int Max = 1024 * 1024;

    [Fact]
    public async Task Reads_one_message_then_null_at_end_of_body()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Frame(new StringValue { Value = "hello" }));
        await pipe.Writer.CompleteAsync();

        var first = await Read(pipe.Reader);
        var end = await Read(pipe.Reader);

        Assert.Equal("hello", first!.Value);
        Assert.Null(end);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    public async Task Reassembles_frames_split_across_reads(int chunkSize)
    {
        var bytes = Frame(new StringValue { Value = "split" }).Concat(Frame(new StringValue { Value = "across reads" })).ToArray();
        var pipe = new Pipe();
        var firstRead = Read(pipe.Reader).AsTask();
        var writing = Task.Run(async () =>
        {
            for (var offset = 0; offset < bytes.Length; offset += chunkSize)
            {
                await pipe.Writer.WriteAsync(bytes.AsMemory(offset, Math.Min(chunkSize, bytes.Length - offset)));
                await Task.Yield();
            }

            await pipe.Writer.CompleteAsync();
        });

        var first = await firstRead;
        var second = await Read(pipe.Reader);
        var end = await Read(pipe.Reader);
        await writing;

        Assert.Equal("split", first!.Value);
        Assert.Equal("across reads", second!.Value);
        Assert.Null(end);
    }

    [Fact]
    public async Task Keeps_the_rest_of_a_read_for_the_next_message()
    {
        var pipe = new Pipe();
        var bytes = Frame(new StringValue { Value = "a" })
            .Concat(Frame(new StringValue { Value = "b" }))
            .Concat(Frame(new StringValue { Value = "c" }))
            .ToArray();
        await pipe.Writer.WriteAsync(bytes);
        await pipe.Writer.CompleteAsync();

        var values = new List<string>();
        while (await Read(pipe.Reader) is { } message)
        {
            values.Add(message.Value);
        }

        Assert.Equal(["a", "b", "c"], values);
    }

    [Fact]
    public async Task Zero_length_message_is_the_default_message()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(new byte[] { 0, 0, 0, 0, 0 });
        await pipe.Writer.CompleteAsync();

        var message = await Read(pipe.Reader);

        Assert.NotNull(message);
        Assert.Equal(string.Empty, message.Value);
        Assert.Null(await Read(pipe.Reader));
    }

    [Fact]
    public async Task Oversize_message_fails_with_grpc_go_text_as_soon_as_the_prefix_arrives()
    {
        var pipe = new Pipe();
        var header = new byte[5];
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(1), 2000);
        await pipe.Writer.WriteAsync(header); // the payload never comes: the length alone must decide

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            GrpcMessageReader.ReadMessageAsync(pipe.Reader, StringValue.Parser, 1000, false, CancellationToken.None).AsTask());

        Assert.Equal(StatusCode.ResourceExhausted, error.Status);
        Assert.Equal("grpc: received message larger than max (2000 vs. 1000)", error.Message);
    }

    [Fact]
    public async Task Body_ending_inside_a_frame_is_unexpected_eof()
    {
        var pipe = new Pipe();
        var frame = Frame(new StringValue { Value = "cut short" });
        await pipe.Writer.WriteAsync(frame.AsMemory(0, frame.Length - 2));
        await pipe.Writer.CompleteAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => Read(pipe.Reader).AsTask());

        Assert.Equal(StatusCode.Internal, error.Status);
        Assert.Equal("unexpected EOF", error.Message);
    }

    [Fact]
    public async Task Gzip_frame_is_decompressed_when_the_request_declared_gzip()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(GzipFrame(new StringValue { Value = "squeezed" }));
        await pipe.Writer.CompleteAsync();

        var message = await GrpcMessageReader.ReadMessageAsync(pipe.Reader, StringValue.Parser, Max, true, CancellationToken.None);

        Assert.Equal("squeezed", message!.Value);
    }

    [Fact]
    public async Task Compressed_flag_without_an_encoding_is_rejected()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(GzipFrame(new StringValue { Value = "squeezed" }));
        await pipe.Writer.CompleteAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => Read(pipe.Reader).AsTask());

        Assert.Equal(StatusCode.Internal, error.Status);
        Assert.Equal("grpc: compressed flag set with identity or empty encoding", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(100_000)]
    public async Task Writer_frames_read_back_identically(int valueLength)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        var sent = new BytesValue { Value = ByteString.CopyFrom(Enumerable.Range(0, valueLength).Select(i => (byte)i).ToArray()) };

        GrpcMessageWriter.WriteMessage(pipe.Writer, sent, int.MaxValue);
        await pipe.Writer.FlushAsync();
        await pipe.Writer.CompleteAsync();
        var received = await GrpcMessageReader.ReadMessageAsync(pipe.Reader, BytesValue.Parser, Max, false, CancellationToken.None);

        Assert.Equal(sent, received);
    }

    [Fact]
    public void Writer_refuses_messages_above_the_send_limit()
    {
        var pipe = new Pipe();
        var message = new StringValue { Value = new string('x', 100) };

        var error = Assert.Throws<RpcException>(() => GrpcMessageWriter.WriteMessage(pipe.Writer, message, 50));

        Assert.Equal(StatusCode.ResourceExhausted, error.Status);
        Assert.Equal($"grpc: trying to send message larger than max ({message.CalculateSize()} vs. 50)", error.Message);
    }

    internal static byte[] Frame(IMessage message)
    {
        var payload = message.ToByteArray();
        var frame = new byte[5 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(frame, 5);
        return frame;
    }

    internal static byte[] GzipFrame(IMessage message)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            message.WriteTo(gzip);
        }

        var payload = compressed.ToArray();
        var frame = new byte[5 + payload.Length];
        frame[0] = 1;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(frame, 5);
        return frame;
    }

    private static ValueTask<StringValue?> Read(PipeReader reader) =>
        GrpcMessageReader.ReadMessageAsync(reader, StringValue.Parser, Max, false, CancellationToken.None);
}
