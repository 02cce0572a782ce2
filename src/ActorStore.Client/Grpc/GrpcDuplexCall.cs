using Google.Protobuf;

namespace ActorStore.Client.Grpc;

/// <summary>A bidirectional streaming call: write requests and read responses independently, then dispose.</summary>
public sealed class GrpcDuplexCall<TRequest, TResponse> : IAsyncDisposable
    where TRequest : IMessage
    where TResponse : class, IMessage<TResponse>
{
    private readonly GrpcClientCall _call;

    internal GrpcDuplexCall(GrpcClientCall call, DuplexRequestContent content, MessageParser<TResponse> parser, int maxSendMessageSize)
    {
        _call = call;
        RequestStream = new GrpcRequestStream<TRequest>(call, content, maxSendMessageSize);
        ResponseStream = new GrpcResponseStream<TResponse>(call, parser, ownsCall: false);
    }

    public GrpcRequestStream<TRequest> RequestStream { get; }

    public GrpcResponseStream<TResponse> ResponseStream { get; }

    /// <summary>
    /// Completes once the response stream has been read to its end with status OK; faults with the call's
    /// RpcException when it failed or was cancelled. It only moves while someone reads <see cref="ResponseStream"/>.
    /// </summary>
    public Task Completion => _call.Completion;

    /// <summary>Cancels the call if it is still running (the server sees the stream reset).</summary>
    public ValueTask DisposeAsync()
    {
        _call.Dispose();
        return ValueTask.CompletedTask;
    }
}
