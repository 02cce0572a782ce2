namespace ActorStore.Gateway.Grpc;

public enum GrpcMethodType
{
    Unary,
    ClientStreaming,
    ServerStreaming,
    DuplexStreaming,
}
