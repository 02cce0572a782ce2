namespace ActorStore.Gateway.Grpc;

/// <summary>Names of the gRPC protocol's own headers and trailers.</summary>
public static class GrpcHeaders
{
    public const string Status = "grpc-status";
    public const string Message = "grpc-message";
    public const string Timeout = "grpc-timeout";
    public const string Encoding = "grpc-encoding";
    public const string AcceptEncoding = "grpc-accept-encoding";
}
