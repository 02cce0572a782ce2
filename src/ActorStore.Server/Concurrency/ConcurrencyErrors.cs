using ActorStore.Protocol.Errors;

namespace ActorStore.Server.Concurrency;

/// <summary>
/// The errors of etcd's v3lock and v3election services. etcd serves both through an in-process client, and the
/// errors that client passes back lose their gRPC status on the way out: every one reaches the caller as Unknown with
/// etcd's message, including the ordinary KV errors (for example "etcdserver: requested lease not found").
/// </summary>
public static class ConcurrencyErrors
{
    /// <summary>Proclaim on a key that is gone or was re-created since the campaign.</summary>
    public static RpcException ElectionNotLeader => new(StatusCode.Unknown, "election: not leader");

    /// <summary>Leader on an election with no candidate.</summary>
    public static RpcException ElectionNoLeader => new(StatusCode.Unknown, "election: no leader");

    /// <summary>Proclaim or Resign without the leader key.</summary>
    public static RpcException MissingLeaderKey => new(StatusCode.Unknown, "\"leader\" field must be provided");

    /// <summary>A wait for a predecessor's deletion whose watch ended without an error or a cancellation.</summary>
    public static RpcException LostWatcher => new(StatusCode.Unknown, "lost watcher waiting for delete");

    /// <summary>A member error as these services answer it: same message, status Unknown.</summary>
    public static RpcException Relayed(RpcException error) =>
        error.Status == StatusCode.Unknown ? error : new RpcException(StatusCode.Unknown, error.Message);
}
