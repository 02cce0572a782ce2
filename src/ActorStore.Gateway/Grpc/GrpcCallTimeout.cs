namespace ActorStore.Gateway.Grpc;

/// <summary>
/// The client's grpc-timeout, taken off the request by <see cref="GrpcRequestGate"/> so that Grpc.AspNetCore does not
/// enforce it with its own DEADLINE_EXCEEDED; <see cref="CallLifetimeInterceptor"/> drives the call's deadline instead.
/// </summary>
internal sealed record GrpcCallTimeout(TimeSpan Timeout, DateTime ReceivedAt)
{
    public DateTime Deadline => Timeout >= DateTime.MaxValue - ReceivedAt ? DateTime.MaxValue : ReceivedAt + Timeout;
}
