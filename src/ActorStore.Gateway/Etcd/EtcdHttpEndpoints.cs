using ActorStore.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ActorStore.Gateway.Etcd;

/// <summary>etcd's plain HTTP endpoints on the client port: /health and /version, with etcd's JSON.</summary>
public static class EtcdHttpEndpoints
{
    private static readonly byte[] Healthy = "{\"health\":\"true\"}"u8.ToArray();
    private static readonly byte[] Unhealthy = "{\"health\":\"false\"}\n"u8.ToArray();
    private static readonly byte[] Versions =
        System.Text.Encoding.UTF8.GetBytes($"{{\"etcdserver\":\"{EtcdVersions.Server}\",\"etcdcluster\":\"{EtcdVersions.Cluster}\"}}");

    public static IApplicationBuilder UseEtcdHttpEndpoints(this IApplicationBuilder app, EtcdMember member) =>
        app.Use(async (context, next) =>
        {
            switch (context.Request.Path.Value)
            {
                case "/health":
                    await HealthAsync(context, member);
                    return;
                case "/version":
                    await VersionAsync(context);
                    return;
                default:
                    await next(context);
                    return;
            }
        });

    private static async Task HealthAsync(HttpContext context, EtcdMember member)
    {
        if (!await OnlyGetAsync(context))
        {
            return;
        }
        var healthy = await member.IsHealthyAsync(context.RequestAborted);
        // etcd answers an unhealthy check the way Go's http.Error does: plain text type, 503.
        context.Response.StatusCode = healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = healthy ? null : "text/plain; charset=utf-8";
        await context.Response.Body.WriteAsync(healthy ? Healthy : Unhealthy, context.RequestAborted);
    }

    private static async Task VersionAsync(HttpContext context)
    {
        if (!await OnlyGetAsync(context))
        {
            return;
        }
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(Versions, context.RequestAborted);
    }

    private static async Task<bool> OnlyGetAsync(HttpContext context)
    {
        if (HttpMethods.IsGet(context.Request.Method))
        {
            return true;
        }
        context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
        context.Response.Headers.Allow = "GET";
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync("Method Not Allowed\n", context.RequestAborted);
        return false;
    }
}
