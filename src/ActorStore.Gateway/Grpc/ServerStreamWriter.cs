using Google.Protobuf;

namespace ActorStore.Gateway.Grpc;

internal sealed class ServerStreamWriter<T>(GrpcCallContext call) : IServerStreamWriter<T>
    where T : class, IMessage<T>
{
    private bool _completed;

    public void WriteWithoutFlush(T message)
    {
        ArgumentNullException.ThrowIfNull(message);
        EnsureOpen();
        call.WriteMessage(message);
    }

    public async Task WriteAsync(T message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        EnsureOpen();
        call.WriteMessage(message);
        var token = cancellationToken.CanBeCanceled ? cancellationToken : call.CancellationToken;
        var flush = await call.HttpContext.Response.BodyWriter.FlushAsync(token).ConfigureAwait(false);
        if (flush.IsCompleted || flush.IsCanceled)
        {
            // The client stopped reading: the stream was reset or the connection is gone.
            throw new OperationCanceledException("The client is no longer receiving messages.", call.CancellationToken);
        }
    }

    private void EnsureOpen()
    {
        if (_completed)
        {
            throw new InvalidOperationException($"The call {call.Method} has completed; no more messages can be written.");
        }
    }

    /// <summary>Handlers that keep the writer after returning get an error instead of corrupting the finished response.</summary>
    public void Complete() => _completed = true;
}
