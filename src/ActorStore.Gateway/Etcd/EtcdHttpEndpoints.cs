using ActorStore.Gateway.Health;
using ActorStore.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorStore.Gateway.Etcd;

/// <summary>
/// etcd's plain HTTP endpoints on the client port (and on --listen-metrics-urls): /health, /livez, /readyz,
/// /version and /metrics, with etcd's answers.
/// </summary>
public static class EtcdHttpEndpoints
{
    private static readonly byte[] Versions =
        System.Text.Encoding.UTF8.GetBytes($"{{\"etcdserver\":\"{EtcdVersions.Server}\",\"etcdcluster\":\"{EtcdVersions.Cluster}\"}}");

    /// <param name="metricsListener">
    /// For a --listen-metrics-urls listener: only /metrics and the health endpoints, as etcd serves there (no /version).
    /// </param>
    public static IApplicationBuilder UseEtcdHttpEndpoints(this IApplicationBuilder app, EtcdMember member, bool metricsListener = false)
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
                case "/version" when !metricsListener:
                    await VersionAsync(context);
                    return;
                case "/metrics":
                    await MetricsAsync(context, member);
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

    /// <summary>The member's series in Prometheus' text format, as promhttp serves them.</summary>
    private static async Task MetricsAsync(HttpContext context, EtcdMember member)
    {
        if (!await PlainHttp.OnlyGetAsync(context))
        {
            return;
        }
        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        await member.Metrics.ExportAsTextAsync(context.Response.Body, context.RequestAborted);
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
