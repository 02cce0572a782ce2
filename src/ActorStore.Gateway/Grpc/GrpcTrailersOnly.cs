using System.Globalization;
using ActorStore.Protocol.Errors;
using ActorStore.Protocol.Grpc;
using Microsoft.AspNetCore.Http;

namespace ActorStore.Gateway.Grpc;

/// <summary>Answers a gRPC request with a status and no messages: grpc-status and grpc-message in the response headers.</summary>
internal static class GrpcTrailersOnly
{
    public const string ContentType = "application/grpc";

    public static void Write(HttpContext context, StatusCode status, string message)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.Headers[GrpcHeaders.Status] = ((int)status).ToString(CultureInfo.InvariantCulture);
        if (message.Length > 0)
        {
            response.Headers[GrpcHeaders.Message] = GrpcPercentEncoding.Encode(message);
        }
    }

    /// <summary>"application/grpc", optionally followed by "+codec" or parameters; anything else is not gRPC.</summary>
    public static bool IsGrpcRequest(HttpRequest request)
    {
        var contentType = request.ContentType;
        if (!HttpMethods.IsPost(request.Method) || contentType is null
            || !contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return contentType.Length == ContentType.Length || contentType[ContentType.Length] is '+' or ';';
    }
}
