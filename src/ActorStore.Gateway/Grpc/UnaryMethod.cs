using Google.Protobuf;

namespace ActorStore.Gateway.Grpc;

internal sealed class UnaryMethod<TRequest, TResponse>(
    string fullMethod,
    MessageParser<TRequest> parser,
    Func<TRequest, GrpcCallContext, Task<TResponse>> handler)
    : GrpcMethod(fullMethod, GrpcMethodType.Unary)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    public override async Task InvokeAsync(GrpcCallContext call)
    {
        var request = await GrpcMethods.ReadSingleRequestAsync(call, parser).ConfigureAwait(false);
        var response = await handler(request, call).ConfigureAwait(false);
        call.WriteMessage(GrpcMethods.EnsureResponse(response, FullMethod));
    }
}
