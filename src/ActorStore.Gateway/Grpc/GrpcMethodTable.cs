using System.Collections.Frozen;
using ActorStore.Protocol.Errors;

namespace ActorStore.Gateway.Grpc;

/// <summary>The read-only lookup the middleware serves from; built once from a <see cref="GrpcServiceRegistry"/>.</summary>
internal sealed class GrpcMethodTable(FrozenDictionary<string, GrpcMethod> methods, FrozenSet<string> services)
{
    public bool TryFind(string path, out GrpcMethod method) => methods.TryGetValue(path, out method!);

    /// <summary>The status grpc-go answers for a path that names no registered method (codes and wording are its own).</summary>
    public RpcException DescribeUnknown(string path)
    {
        var name = path.StartsWith('/') ? path[1..] : path;
        var slash = name.LastIndexOf('/');
        if (slash < 0)
        {
            return new RpcException(StatusCode.ResourceExhausted, $"malformed method name: \"{path}\"");
        }

        var service = name[..slash];
        var method = name[(slash + 1)..];
        return new RpcException(
            StatusCode.Unimplemented,
            services.Contains(service)
                ? $"unknown method {method} for service {service}"
                : $"unknown service {service}");
    }
}
