using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ActorStore.Gateway.Etcd;

/// <summary>
/// etcd's --cors on the client URLs' HTTP answers (the JSON gateway, health, version, metrics; gRPC is not HTTP to
/// a browser): with "*" every answer allows every origin, otherwise an answer allows the request's Origin when it is
/// listed; an OPTIONS request (a browser's preflight) is answered 200 with those headers and nothing else.
/// </summary>
public static class EtcdCors
{
    public static IApplicationBuilder UseEtcdCors(this IApplicationBuilder app, IReadOnlyCollection<string> allowedOrigins)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(allowedOrigins);
        var allowAll = allowedOrigins.Contains("*");
        var allowed = allowedOrigins.ToHashSet(StringComparer.Ordinal);
        return app.Use(async (context, next) =>
        {
            var origin = allowAll ? "*" : context.Request.Headers.Origin.ToString();
            if (allowAll || (origin.Length > 0 && allowed.Contains(origin)))
            {
                var headers = context.Response.Headers;
                headers.AccessControlAllowMethods = "POST, GET, OPTIONS, PUT, DELETE";
                headers.AccessControlAllowOrigin = origin;
                headers.AccessControlAllowHeaders = "accept, content-type, authorization";
            }
            if (HttpMethods.IsOptions(context.Request.Method))
            {
                context.Response.StatusCode = StatusCodes.Status200OK;
                return;
            }
            await next(context);
        });
    }
}
