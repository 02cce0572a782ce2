using ActorStore.Protocol.Errors;

namespace ActorStore.Gateway.Grpc;

internal sealed class UnimplementedMethod(string fullMethod, string message)
    : GrpcMethod(fullMethod, GrpcMethodType.Unary)
{
    public override Task InvokeAsync(GrpcCallContext call) =>
        Task.FromException(new RpcException(StatusCode.Unimplemented, message));
}
