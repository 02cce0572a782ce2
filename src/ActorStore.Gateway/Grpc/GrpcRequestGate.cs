using ActorStore.Protocol.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace ActorStore.Gateway.Grpc;

/// <summary>
/// Runs before Grpc.AspNetCore for every gRPC request: takes the grpc-timeout header for the project's own deadline
/// handling, and refuses what grpc-go refuses before a handler runs, with grpc-go's status and wording.
/// </summary>
internal static class GrpcRequestGate
{
    public static Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (!GrpcTrailersOnly.IsGrpcRequest(request))
        {
            return next(context);
        }

        var timeoutHeader = request.Headers[GrpcHeaders.Timeout];
        if (!StringValues.IsNullOrEmpty(timeoutHeader))
        {
            request.Headers.Remove(GrpcHeaders.Timeout);
            if (!GrpcTimeout.TryParse(timeoutHeader[0], out var timeout, out var error))
            {
                GrpcTrailersOnly.Write(context, StatusCode.Internal, $"transport: malformed time-out: {error}");
                return Task.CompletedTask;
            }

            context.Features.Set(new GrpcCallTimeout(timeout, DateTime.UtcNow));
        }

        var encoding = request.Headers[GrpcHeaders.Encoding];
        if (!StringValues.IsNullOrEmpty(encoding) && encoding[0] is not ("identity" or "gzip"))
        {
            context.Response.Headers[GrpcHeaders.AcceptEncoding] = "gzip";
            GrpcTrailersOnly.Write(
                context, StatusCode.Unimplemented, $"grpc: Decompressor is not installed for grpc-encoding \"{encoding[0]}\"");
            return Task.CompletedTask;
        }

        return next(context);
    }
}
