using Google.Protobuf;

namespace ActorStore.Gateway.Grpc;

internal sealed class ServerStreamingMethod<TRequest, TResponse>(
    string fullMethod,
    MessageParser<TRequest> parser,
    Func<TRequest, IServerStreamWriter<TResponse>, GrpcCallContext, Task> handler)
    : GrpcMethod(fullMethod, GrpcMethodType.ServerStreaming)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    public override async Task InvokeAsync(GrpcCallContext call)
    {
        var request = await GrpcMethods.ReadSingleRequestAsync(call, parser).ConfigureAwait(false);
        var responses = new ServerStreamWriter<TResponse>(call);
        try
        {
            await handler(request, responses, call).ConfigureAwait(false);
        }
        finally
        {
            responses.Complete();
        }
    }
}
