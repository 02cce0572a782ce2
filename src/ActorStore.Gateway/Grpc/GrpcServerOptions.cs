namespace ActorStore.Gateway.Grpc;

/// <summary>Limits of the gRPC server; defaults follow grpc-go's server where etcd leaves them alone.</summary>
public sealed class GrpcServerOptions
{
    /// <summary>Largest request message accepted, in bytes; larger ones fail with ResourceExhausted.</summary>
    public int MaxReceiveMessageSize { get; init; } = 4 * 1024 * 1024;

    /// <summary>Largest response message sent, in bytes; larger ones fail the call with ResourceExhausted.</summary>
    public int MaxSendMessageSize { get; init; } = int.MaxValue;

    /// <summary>HTTP/2 streams (calls) a client may keep open on one connection (etcd: --max-concurrent-streams).</summary>
    public int MaxConcurrentStreams { get; init; } = int.MaxValue;

    /// <summary>Idle time after which the server pings a client connection (etcd: --grpc-keepalive-interval).</summary>
    public TimeSpan KeepAlivePingDelay { get; init; } = TimeSpan.FromHours(2);

    /// <summary>
    /// Shortest interval at which a client with calls open may ping; faster pings are strikes, and the third ends
    /// the connection with GOAWAY "too_many_pings" (etcd: --grpc-keepalive-min-time; grpc-go's default is 5 minutes).
    /// </summary>
    public TimeSpan KeepAliveMinTime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a ping may go unanswered before the connection is closed (etcd: --grpc-keepalive-timeout).</summary>
    public TimeSpan KeepAlivePingTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The Unimplemented message for a method a service declares but does not build, from its full method
    /// ("/package.Service/Method"); grpc-go's generated servers say "method X not implemented".
    /// </summary>
    public Func<string, string> UnimplementedMessage { get; init; } =
        fullMethod => $"method {fullMethod[(fullMethod.LastIndexOf('/') + 1)..]} not implemented";
}
