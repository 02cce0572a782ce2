namespace ActorStore.Gateway.Grpc;

/// <summary>One registered method: a typed shell that reads requests, calls the handler delegate and writes responses.</summary>
internal abstract class GrpcMethod(string fullMethod, GrpcMethodType type)
{
    public string FullMethod { get; } = fullMethod;

    public GrpcMethodType Type { get; } = type;

    /// <summary>True when the client sends a stream of requests, so slow request bodies are normal.</summary>
    public bool StreamsRequests => Type is GrpcMethodType.ClientStreaming or GrpcMethodType.DuplexStreaming;

    public abstract Task InvokeAsync(GrpcCallContext call);
}
