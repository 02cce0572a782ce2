using System.Collections.Frozen;
using ActorStore.Protocol.Errors;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Http;

namespace ActorStore.Gateway.Grpc;

/// <summary>
/// Answers gRPC requests that routing matched to no gRPC method (none at all for an unknown service, or
/// Grpc.AspNetCore's catch-all for an unknown method of a known service) with grpc-go's status and wording.
/// Runs between routing and the endpoints.
/// </summary>
internal sealed class UnknownGrpcMethods(FrozenSet<string> services)
{
    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!GrpcTrailersOnly.IsGrpcRequest(context.Request) || context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>() is not null)
        {
            return next(context);
        }

        var path = context.Request.Path.Value ?? string.Empty;
        var name = path.StartsWith('/') ? path[1..] : path;
        var slash = name.LastIndexOf('/');
        if (slash < 0)
        {
            GrpcTrailersOnly.Write(context, StatusCode.ResourceExhausted, $"malformed method name: \"{path}\"");
            return Task.CompletedTask;
        }

        var service = name[..slash];
        var method = name[(slash + 1)..];
        GrpcTrailersOnly.Write(
            context,
            StatusCode.Unimplemented,
            services.Contains(service) ? $"unknown method {method} for service {service}" : $"unknown service {service}");
        return Task.CompletedTask;
    }
}
