using Grpc.Core;
using Microsoft.AspNetCore.Builder;

namespace ActorStore.Gateway.Json;

public static class JsonGatewayExtensions
{
    /// <summary>
    /// Serves etcd's JSON gateway (/v3/* and /v3beta/*) by calling the member's gRPC services through
    /// <paramref name="selfInvoker"/>, a gRPC client of this same server (see <see cref="Grpc.SelfGrpcChannel"/>).
    /// </summary>
    public static IApplicationBuilder UseEtcdJsonGateway(this IApplicationBuilder app, CallInvoker selfInvoker)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(selfInvoker);
        var gateway = new JsonGatewayMiddleware(JsonGatewayRoutes.Create(selfInvoker));
        return app.Use(gateway.InvokeAsync);
    }
}
