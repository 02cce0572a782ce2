using System.Net.Http;

namespace ActorStore.Client.Grpc;

public sealed class GrpcConnectionOptions
{
    /// <summary>Largest response message accepted, in bytes (etcd's client allows up to int.MaxValue).</summary>
    public int MaxReceiveMessageSize { get; init; } = int.MaxValue;

    /// <summary>Largest request message sent, in bytes; larger ones fail with ResourceExhausted before going out.</summary>
    public int MaxSendMessageSize { get; init; } = int.MaxValue;

    /// <summary>Idle time after which the client pings the server; infinite turns pings off.</summary>
    public TimeSpan KeepAlivePingDelay { get; init; } = Timeout.InfiniteTimeSpan;

    public TimeSpan KeepAlivePingTimeout { get; init; } = TimeSpan.FromSeconds(20);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Last say over the handler, e.g. TLS client options for https:// addresses.</summary>
    public Action<SocketsHttpHandler>? ConfigureHandler { get; init; }
}
