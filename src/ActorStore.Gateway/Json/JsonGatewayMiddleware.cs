using System.Collections.Frozen;
using ActorStore.Gateway.Grpc;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace ActorStore.Gateway.Json;

/// <summary>
/// Answers POST /v3/... (and /v3beta/..., which etcd 3.4 rewrites to /v3/) by calling the member's own gRPC
/// services, so every interceptor (learner refusal, size limits, auth) applies exactly as for a gRPC client.
/// Other paths go on down the pipeline.
/// </summary>
internal sealed class JsonGatewayMiddleware(FrozenDictionary<string, JsonGatewayRoute> routes)
{
    private const string V3Prefix = "/v3/";
    private const string V3BetaPrefix = "/v3beta/";

    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        if (path.StartsWith(V3BetaPrefix, StringComparison.Ordinal))
        {
            path = V3Prefix + path[V3BetaPrefix.Length..];
        }
        else if (!path.StartsWith(V3Prefix, StringComparison.Ordinal) || GrpcRequest(context.Request))
        {
            return next(context);
        }

        if (!routes.TryGetValue(path, out var route))
        {
            return PlainErrorAsync(context, StatusCodes.Status404NotFound, "Not Found");
        }
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            return PlainErrorAsync(context, StatusCodes.Status405MethodNotAllowed, "Method Not Allowed");
        }
        // grpc-gateway takes a Grpc-Timeout header as the call's deadline, and refuses one it cannot read.
        DateTime? deadline = null;
        var timeoutHeader = context.Request.Headers["Grpc-Timeout"].ToString();
        if (timeoutHeader.Length > 0)
        {
            if (!GrpcTimeout.TryParse(timeoutHeader, out var timeout, out _))
            {
                return GatewayJson.WriteErrorAsync(context, StatusCode.InvalidArgument, $"invalid grpc-timeout: {timeoutHeader}");
            }
            deadline = DateTime.UtcNow + timeout;
        }
        return route.InvokeAsync(context, new CallOptions(ForwardedMetadata(context.Request), deadline, context.RequestAborted));
    }

    /// <summary>
    /// grpc-gateway's forwarding: Authorization goes on as "authorization" (etcd reads the token there or under
    /// "token"), and Grpc-Metadata-* headers go on without their prefix.
    /// </summary>
    private static Metadata? ForwardedMetadata(HttpRequest request)
    {
        Metadata? metadata = null;
        foreach (var header in request.Headers)
        {
            string name;
            if (string.Equals(header.Key, "Authorization", StringComparison.OrdinalIgnoreCase))
            {
                name = "authorization";
            }
            else if (header.Key.StartsWith("Grpc-Metadata-", StringComparison.OrdinalIgnoreCase) && header.Key.Length > "Grpc-Metadata-".Length)
            {
                name = header.Key["Grpc-Metadata-".Length..].ToLowerInvariant();
            }
            else
            {
                continue;
            }
            foreach (var value in header.Value)
            {
                if (value is not null)
                {
                    (metadata ??= []).Add(name, value);
                }
            }
        }
        return metadata;
    }

    private static bool GrpcRequest(HttpRequest request) =>
        request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>Go's http.Error, as grpc-gateway answers an unknown path or method.</summary>
    private static Task PlainErrorAsync(HttpContext context, int status, string text)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "text/plain; charset=utf-8";
        response.Headers.XContentTypeOptions = "nosniff";
        var body = System.Text.Encoding.UTF8.GetBytes(text + "\n");
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}
