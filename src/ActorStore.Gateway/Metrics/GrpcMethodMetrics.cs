using Grpc.Core;
using Prometheus;

namespace ActorStore.Gateway.Metrics;

/// <summary>One gRPC method's series, resolved once so that counting a call does not allocate.</summary>
internal sealed class GrpcMethodMetrics(Counter.Child started, Counter.Child[] handledByCode, Histogram.Child? handlingSeconds)
{
    public void Started() => started.Inc();

    public void Handled(StatusCode code, double seconds)
    {
        var index = (int)code;
        handledByCode[(uint)index < (uint)handledByCode.Length ? index : (int)StatusCode.Unknown].Inc();
        handlingSeconds?.Observe(seconds);
    }
}
