using Grpc.Core;

namespace ActorStore.Gateway.Grpc;

/// <summary>
/// What a handler that ended because its context ended answers, when it has no etcd error to say instead: what etcd's
/// Go server sends for an error that is not a gRPC status, Unknown with the context's text. Never DEADLINE_EXCEEDED or
/// CANCELLED: clientv3 takes those, arriving before its own timer, as a failed attempt and sends the request again,
/// and a write sent again may be applied twice.
/// </summary>
internal static class CallStatus
{
    public static RpcException ContextDeadlineExceeded => new(new Status(StatusCode.Unknown, "context deadline exceeded"));

    public static RpcException ContextCanceled => new(new Status(StatusCode.Unknown, "context canceled"));
}
