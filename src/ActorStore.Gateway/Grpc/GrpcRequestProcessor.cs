using ActorStore.Protocol.Grpc;
using System.Globalization;
using ActorStore.Protocol.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace ActorStore.Gateway.Grpc;

/// <summary>Serves one gRPC call per HTTP/2 request: headers in, handler, status out (in trailers, or trailers-only).</summary>
internal sealed class GrpcRequestProcessor(GrpcMethodTable methods, GrpcServerOptions options, ILogger logger)
{
    private const string GrpcContentType = "application/grpc";

    // A handler that ends because its context ended, and has no etcd error to say instead, answers as etcd's Go server
    // does for an error that is not a gRPC status: Unknown with the context's text. Never DEADLINE_EXCEEDED or
    // CANCELLED: clientv3 takes those, arriving before its own timer, as a failed attempt and sends the request again,
    // and a write sent again may be applied twice.
    private static readonly (StatusCode Status, string Message) ContextDeadlineExceeded = (StatusCode.Unknown, "context deadline exceeded");
    private static readonly (StatusCode Status, string Message) ContextCanceled = (StatusCode.Unknown, "context canceled");

    // CancelAfter cannot take more than about 49 days; longer timeouts are left to run without a timer.
    private static readonly TimeSpan LongestTimer = TimeSpan.FromDays(30);

    private static readonly Action<ILogger, string, Exception?> LogHandlerFailure =
        LoggerMessage.Define<string>(LogLevel.Error, new EventId(1, "GrpcHandlerFailed"), "gRPC handler of {Method} failed");

    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        return IsGrpcContentType(context.Request.ContentType) ? ProcessAsync(context) : next(context);
    }

    /// <summary>"application/grpc", optionally followed by "+codec" or parameters; anything else is not ours.</summary>
    internal static bool IsGrpcContentType(string? contentType)
    {
        if (contentType is null || !contentType.StartsWith(GrpcContentType, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return contentType.Length == GrpcContentType.Length || contentType[GrpcContentType.Length] is '+' or ';';
    }

    // Not async itself: the checks run synchronously and only the call proper becomes a state machine.
    private Task ProcessAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        if (!HttpMethods.IsPost(request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            response.Headers.Allow = "POST";
            return Task.CompletedTask;
        }

        if (!HttpProtocol.IsHttp2(request.Protocol) && !HttpProtocol.IsHttp3(request.Protocol))
        {
            response.StatusCode = StatusCodes.Status426UpgradeRequired;
            response.Headers.Upgrade = "h2c";
            response.ContentType = "text/plain";
            return response.WriteAsync("gRPC requires HTTP/2");
        }

        response.ContentType = GrpcContentType;
        TimeSpan? timeout = null;
        var timeoutHeader = request.Headers[GrpcHeaders.Timeout];
        if (!StringValues.IsNullOrEmpty(timeoutHeader))
        {
            if (!GrpcTimeout.TryParse(timeoutHeader[0], out var parsed, out var error))
            {
                WriteStatus(context, messageWritten: false, StatusCode.Internal, $"transport: malformed time-out: {error}");
                return Task.CompletedTask;
            }

            timeout = parsed;
        }

        var path = request.Path.Value ?? string.Empty;
        if (!methods.TryFind(path, out var method))
        {
            var unknown = methods.DescribeUnknown(path);
            WriteStatus(context, messageWritten: false, unknown.Status, unknown.Message);
            return Task.CompletedTask;
        }

        var encoding = request.Headers[GrpcHeaders.Encoding];
        var gzip = false;
        if (!StringValues.IsNullOrEmpty(encoding) && !string.Equals(encoding[0], "identity", StringComparison.Ordinal))
        {
            if (!string.Equals(encoding[0], "gzip", StringComparison.Ordinal))
            {
                response.Headers[GrpcHeaders.AcceptEncoding] = "gzip";
                WriteStatus(
                    context,
                    messageWritten: false,
                    StatusCode.Unimplemented,
                    $"grpc: Decompressor is not installed for grpc-encoding \"{encoding[0]}\"");
                return Task.CompletedTask;
            }

            gzip = true;
        }

        RelaxBodyLimits(context, method);
        return InvokeMethodAsync(context, method, timeout, gzip);
    }

    private async Task InvokeMethodAsync(HttpContext context, GrpcMethod method, TimeSpan? timeout, bool gzip)
    {
        var aborted = context.RequestAborted;
        DateTime? deadline = null;
        CancellationTokenSource? deadlineSource = null;
        var token = aborted;
        if (timeout is { } limit)
        {
            if (limit <= TimeSpan.Zero)
            {
                WriteStatus(context, messageWritten: false, ContextDeadlineExceeded.Status, ContextDeadlineExceeded.Message);
                return;
            }

            deadline = DateTime.UtcNow + limit;
            if (limit < LongestTimer)
            {
                deadlineSource = CancellationTokenSource.CreateLinkedTokenSource(aborted);
                deadlineSource.CancelAfter(limit);
                token = deadlineSource.Token;
            }
        }

        var call = new GrpcCallContext(context, method.FullMethod, deadline, token, gzip, options);
        var status = StatusCode.OK;
        var message = string.Empty;
        try
        {
            await method.InvokeAsync(call).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            (status, message) = Classify(ex, call, deadlineSource);
        }
        finally
        {
            deadlineSource?.Dispose();
        }

        if (aborted.IsCancellationRequested)
        {
            // The stream was reset: nobody is left to read a status.
            return;
        }

        WriteStatus(context, call.ResponseMessageWritten, status, message);
    }

    private (StatusCode Status, string Message) Classify(Exception exception, GrpcCallContext call, CancellationTokenSource? deadlineSource)
    {
        if (exception is RpcException rpc)
        {
            return (rpc.Status, rpc.Message);
        }

        if (call.HttpContext.RequestAborted.IsCancellationRequested)
        {
            return ContextCanceled;
        }

        if (deadlineSource?.IsCancellationRequested == true || (call.Deadline is { } deadline && DateTime.UtcNow >= deadline))
        {
            return ContextDeadlineExceeded;
        }

        if (exception is OperationCanceledException)
        {
            return ContextCanceled;
        }

        LogHandlerFailure(logger, call.Method, exception);
        return (StatusCode.Unknown, exception.Message);
    }

    /// <summary>Sends grpc-status and grpc-message: as trailers after messages, or in the headers (trailers-only) before any.</summary>
    private static void WriteStatus(HttpContext context, bool messageWritten, StatusCode status, string message)
    {
        var response = context.Response;
        var target = !messageWritten && !response.HasStarted
            ? response.Headers
            : context.Features.GetRequiredFeature<IHttpResponseTrailersFeature>().Trailers;
        target[GrpcHeaders.Status] = ((int)status).ToString(CultureInfo.InvariantCulture);
        if (message.Length > 0)
        {
            target[GrpcHeaders.Message] = GrpcPercentEncoding.Encode(message);
        }
    }

    /// <summary>Streams may stay open for hours and carry any amount in total; each message is still bounded.</summary>
    private static void RelaxBodyLimits(HttpContext context, GrpcMethod method)
    {
        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = null;
        }

        if (method.StreamsRequests && context.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rateFeature)
        {
            rateFeature.MinDataRate = null;
        }
    }
}
