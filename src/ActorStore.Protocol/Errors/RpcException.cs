namespace ActorStore.Protocol.Errors;

/// <summary>A failure that reaches the client as a gRPC status code and message (grpc-status, grpc-message).</summary>
public sealed class RpcException : Exception
{
    public RpcException(StatusCode status, string message) : base(message) => Status = status;

    public StatusCode Status { get; }

    public override string ToString() => $"rpc error: code = {Status} desc = {Message}";
}
