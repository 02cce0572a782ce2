using Grpc.Core;

namespace ActorStore.Gateway.Etcd;

internal static class CallContextExtensions
{
    /// <summary>The client's deadline, or null without one (Grpc.Core says DateTime.MaxValue).</summary>
    public static DateTime? DeadlineOrNull(this ServerCallContext context) =>
        context.Deadline == DateTime.MaxValue ? null : context.Deadline;
}
