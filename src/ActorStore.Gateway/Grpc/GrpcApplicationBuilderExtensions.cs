using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorStore.Gateway.Grpc;

public static class GrpcApplicationBuilderExtensions
{
    /// <summary>
    /// Serves the registry's methods to requests whose content-type is application/grpc (or application/grpc+...);
    /// every other request goes on to the next middleware (health, metrics, JSON gateway).
    /// </summary>
    public static IApplicationBuilder UseGrpc(
        this IApplicationBuilder app,
        GrpcServiceRegistry registry,
        GrpcServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(registry);
        var logger = app.ApplicationServices.GetService<ILoggerFactory>()?.CreateLogger("ActorStore.Gateway.Grpc")
            ?? NullLogger.Instance;
        var processor = new GrpcRequestProcessor(registry.Freeze(), options ?? new GrpcServerOptions(), logger);
        return app.Use((RequestDelegate next) => context => processor.InvokeAsync(context, next));
    }
}
