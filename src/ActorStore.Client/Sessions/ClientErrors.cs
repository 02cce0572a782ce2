using ActorStore.Protocol.Errors;
using Clientpb;

namespace ActorStore.Client.Sessions;

/// <summary>The client's own failures, as the gRPC API would report them.</summary>
internal static class ClientErrors
{
    public static RpcException From(ClientError error) => new((StatusCode)error.Code, error.Message);

    public static RpcException MemberLost() => new(StatusCode.Unavailable,
        "actorstore client: the member was lost while the request was in flight; it may or may not have been applied");

    public static RpcException DeadlineExceeded() => new(StatusCode.DeadlineExceeded, "context deadline exceeded");

    public static RpcException QueueFull() => new(StatusCode.Unavailable,
        "actorstore client: too many requests are waiting for a member");

    public static RpcException NotARequest(object message) => new(StatusCode.InvalidArgument,
        $"actorstore client: {message.GetType().Name} is not a request the store takes");

    /// <summary>Unavailable answers a member gives while the cluster elects a leader: a safe request is worth repeating.</summary>
    public static bool IsLeaderTrouble(ClientError error) => (StatusCode)error.Code == StatusCode.Unavailable
        && error.Message is "etcdserver: no leader" or "etcdserver: leader changed";
}
