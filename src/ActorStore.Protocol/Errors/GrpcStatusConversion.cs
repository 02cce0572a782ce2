using GrpcRpcException = Grpc.Core.RpcException;
using GrpcStatus = Grpc.Core.Status;
using GrpcStatusCode = Grpc.Core.StatusCode;

namespace ActorStore.Protocol.Errors;

/// <summary>
/// The project's errors and Grpc.Core's carry the same status numbers and messages: the gateway turns the first into
/// the second on the way out, the member's own gRPC calls turn the second into the first on the way in.
/// </summary>
public static class GrpcStatusConversion
{
    public static GrpcRpcException ToGrpc(this RpcException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new GrpcRpcException(new GrpcStatus((GrpcStatusCode)(int)error.Status, error.Message));
    }

    public static RpcException ToActorStore(this GrpcRpcException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new RpcException((StatusCode)(int)error.StatusCode, error.Status.Detail);
    }
}
