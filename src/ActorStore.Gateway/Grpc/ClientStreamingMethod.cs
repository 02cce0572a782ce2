using Google.Protobuf;

namespace ActorStore.Gateway.Grpc;

internal sealed class ClientStreamingMethod<TRequest, TResponse>(
    string fullMethod,
    MessageParser<TRequest> parser,
    Func<IAsyncStreamReader<TRequest>, GrpcCallContext, Task<TResponse>> handler)
    : GrpcMethod(fullMethod, GrpcMethodType.ClientStreaming)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    public override async Task InvokeAsync(GrpcCallContext call)
    {
        var requests = new RequestStreamReader<TRequest>(call, parser);
        var response = await handler(requests, call).ConfigureAwait(false);
        call.WriteMessage(GrpcMethods.EnsureResponse(response, FullMethod));
    }
}
