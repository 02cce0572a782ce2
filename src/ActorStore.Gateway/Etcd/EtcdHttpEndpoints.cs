using ActorStore.Gateway.Health;
using ActorStore.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorStore.Gateway.Etcd;

/// <summary>etcd's plain HTTP endpoints on the client port: /health, /livez, /readyz and /version, with etcd's answers.</summary>
public static class EtcdHttpEndpoints
{
    private static readonly byte[] Versions =
        System.Text.Encoding.UTF8.GetBytes($"{{\"etcdserver\":\"{EtcdVersions.Server}\",\"etcdcluster\":\"{EtcdVersions.Cluster}\"}}");

    public static IApplicationBuilder UseEtcdHttpEndpoints(this IApplicationBuilder app, EtcdMember member)
    {
        ArgumentNullException.ThrowIfNull(app);
        var loggers = app.ApplicationServices.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        var health = new HealthEndpoint(member, loggers.CreateLogger("etcdhttp"));
        var probes = new ProbeEndpoints(member);
        return app.Use(async (context, next) =>
        {
            var path = context.Request.Path.Value ?? string.Empty;
            switch (path)
            {
                case "/health":
                    await health.AnswerAsync(context);
                    return;
                case "/version":
                    await VersionAsync(context);
                    return;
                default:
                    if (probes.TryGetChecks(path, out var checks))
                    {
                        await probes.AnswerAsync(context, checks);
                        return;
                    }
                    await next(context);
                    return;
            }
        });
    }

    private static async Task VersionAsync(HttpContext context)
    {
        if (!await PlainHttp.OnlyGetAsync(context))
        {
            return;
        }
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(Versions, context.RequestAborted);
    }
}
