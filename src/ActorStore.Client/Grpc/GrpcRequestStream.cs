using System.Buffers;
using Google.Protobuf;

namespace ActorStore.Client.Grpc;

/// <summary>
/// The request side of a bidirectional call. One writer at a time: await each write before the next.
/// When a write fails because the call ended, the call's own status is read from the response stream.
/// </summary>
public sealed class GrpcRequestStream<T>
    where T : IMessage
{
    private readonly GrpcClientCall _call;
    private readonly DuplexRequestContent _content;
    private readonly int _maxMessageSize;
    private bool _completed;

    internal GrpcRequestStream(GrpcClientCall call, DuplexRequestContent content, int maxMessageSize)
    {
        _call = call;
        _content = content;
        _maxMessageSize = maxMessageSize;
    }

    /// <summary>Sends one message and flushes it to the server.</summary>
    public async Task WriteAsync(T message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_completed)
        {
            throw new InvalidOperationException("The request stream has been completed; no more messages can be written.");
        }

        var frame = GrpcClientFraming.FramePooled(message, _maxMessageSize, out var length);
        using var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.Register(static state => ((GrpcClientCall)state!).Cancel(), _call)
            : default;
        try
        {
            var stream = await GetStreamAsync().ConfigureAwait(false);
            await stream.WriteAsync(frame.AsMemory(0, length), _call.Token).ConfigureAwait(false);
            await stream.FlushAsync(_call.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The response side stays readable: when the server ended the call, its status is still to be read there.
            throw _call.ToRpcException(ex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    /// <summary>Tells the server that no more requests follow (half-close); responses keep coming.</summary>
    public Task CompleteAsync()
    {
        _completed = true;
        _content.Complete();
        return Task.CompletedTask;
    }

    private async ValueTask<Stream> GetStreamAsync()
    {
        var streamTask = _content.StreamTask;
        if (!streamTask.IsCompleted)
        {
            // HttpClient starts the body right after the headers; if the exchange fails first, fail with it.
            var first = await Task.WhenAny(streamTask, _call.ResponseTask).ConfigureAwait(false);
            if (first != streamTask)
            {
                await _call.ResponseTask.ConfigureAwait(false);
                await streamTask.WaitAsync(_call.Token).ConfigureAwait(false);
            }
        }

        return await streamTask.ConfigureAwait(false);
    }
}
