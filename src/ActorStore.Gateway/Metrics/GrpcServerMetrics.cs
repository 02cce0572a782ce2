using System.Collections.Frozen;
using ActorStore.Server.Metrics;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Prometheus;

namespace ActorStore.Gateway.Metrics;

/// <summary>
/// go-grpc-prometheus' server series as etcd exports them: grpc_server_started_total and grpc_server_handled_total
/// for every method of etcd's services (and every status code) from the start, and with --metrics=extensive
/// grpc_server_handling_seconds. Labels are declared in Go's sorted order so the text matches etcd's.
/// </summary>
public sealed class GrpcServerMetrics
{
    private static readonly StatusCode[] Codes = Enum.GetValues<StatusCode>();

    private readonly FrozenDictionary<string, GrpcMethodMetrics> _methods;

    public GrpcServerMetrics(MemberMetrics member, bool extensive)
    {
        ArgumentNullException.ThrowIfNull(member);
        SentBytes = member.ClientGrpcSentBytes;
        ReceivedBytes = member.ClientGrpcReceivedBytes;
        var factory = member.Factory;
        var started = factory.CreateCounter("grpc_server_started_total", "Total number of RPCs started on the server.",
            ["grpc_method", "grpc_service", "grpc_type"]);
        var handled = factory.CreateCounter("grpc_server_handled_total",
            "Total number of RPCs completed on the server, regardless of success or failure.",
            ["grpc_code", "grpc_method", "grpc_service", "grpc_type"]);
        var handling = extensive
            ? factory.CreateHistogram("grpc_server_handling_seconds",
                "Histogram of response latency (seconds) of gRPC that had been application-level handled by the server.",
                new HistogramConfiguration
                {
                    LabelNames = ["grpc_method", "grpc_service", "grpc_type"],
                    Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
                })
            : null;

        var methods = new Dictionary<string, GrpcMethodMetrics>(StringComparer.Ordinal);
        foreach (var service in Services)
        {
            foreach (var method in service.Methods)
            {
                var type = TypeOf(method);
                var byCode = new Counter.Child[Codes.Max(code => (int)code) + 1];
                foreach (var code in Codes)
                {
                    byCode[(int)code] = handled.WithLabels(GoName(code), method.Name, service.FullName, type);
                }
                methods[$"/{service.FullName}/{method.Name}"] = new GrpcMethodMetrics(
                    started.WithLabels(method.Name, service.FullName, type), byCode, handling?.WithLabels(method.Name, service.FullName, type));
            }
        }
        _methods = methods.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public Counter SentBytes { get; }

    public Counter ReceivedBytes { get; }

    /// <summary>The series of a method by its gRPC path ("/etcdserverpb.KV/Range"); null for a method etcd does not declare.</summary>
    internal GrpcMethodMetrics? For(string fullMethod) => _methods.GetValueOrDefault(fullMethod);

    private static IEnumerable<ServiceDescriptor> Services =>
    [
        Etcdserverpb.KV.Descriptor, Etcdserverpb.Watch.Descriptor, Etcdserverpb.Lease.Descriptor, Etcdserverpb.Cluster.Descriptor,
        Etcdserverpb.Maintenance.Descriptor, Etcdserverpb.Auth.Descriptor, V3lockpb.Lock.Descriptor, V3electionpb.Election.Descriptor,
    ];

    private static string TypeOf(MethodDescriptor method) => (method.IsClientStreaming, method.IsServerStreaming) switch
    {
        (false, false) => "unary",
        (true, false) => "client_stream",
        (false, true) => "server_stream",
        _ => "bidi_stream",
    };

    /// <summary>grpc-go's names of the status codes (codes.Code.String()).</summary>
    private static string GoName(StatusCode code) => code switch
    {
        StatusCode.OK => "OK",
        StatusCode.Cancelled => "Canceled",
        StatusCode.Unknown => "Unknown",
        StatusCode.InvalidArgument => "InvalidArgument",
        StatusCode.DeadlineExceeded => "DeadlineExceeded",
        StatusCode.NotFound => "NotFound",
        StatusCode.AlreadyExists => "AlreadyExists",
        StatusCode.PermissionDenied => "PermissionDenied",
        StatusCode.ResourceExhausted => "ResourceExhausted",
        StatusCode.FailedPrecondition => "FailedPrecondition",
        StatusCode.Aborted => "Aborted",
        StatusCode.OutOfRange => "OutOfRange",
        StatusCode.Unimplemented => "Unimplemented",
        StatusCode.Internal => "Internal",
        StatusCode.Unavailable => "Unavailable",
        StatusCode.DataLoss => "DataLoss",
        StatusCode.Unauthenticated => "Unauthenticated",
        _ => code.ToString(),
    };
}
