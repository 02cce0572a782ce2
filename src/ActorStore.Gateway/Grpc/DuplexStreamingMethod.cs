using Google.Protobuf;

namespace ActorStore.Gateway.Grpc;

internal sealed class DuplexStreamingMethod<TRequest, TResponse>(
    string fullMethod,
    MessageParser<TRequest> parser,
    Func<IAsyncStreamReader<TRequest>, IServerStreamWriter<TResponse>, GrpcCallContext, Task> handler)
    : GrpcMethod(fullMethod, GrpcMethodType.DuplexStreaming)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    public override async Task InvokeAsync(GrpcCallContext call)
    {
        var requests = new RequestStreamReader<TRequest>(call, parser);
        var responses = new ServerStreamWriter<TResponse>(call);
        try
        {
            await handler(requests, responses, call).ConfigureAwait(false);
        }
        finally
        {
            responses.Complete();
        }
    }
}
