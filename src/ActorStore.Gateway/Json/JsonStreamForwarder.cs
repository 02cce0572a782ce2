using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace ActorStore.Gateway.Json;

/// <summary>
/// Writes a gRPC response stream as grpc-gateway does: one {"result":...} line per message, flushed at once; a
/// failure ends the body with an {"error":{...}} chunk, and sets the HTTP status when nothing was written yet.
/// </summary>
internal static class JsonStreamForwarder
{
    public static async Task ForwardAsync<TResponse>(HttpContext context, IAsyncStreamReader<TResponse> responses)
        where TResponse : class, IMessage<TResponse>
    {
        var response = context.Response;
        var started = false;
        try
        {
            while (await responses.MoveNext(context.RequestAborted).ConfigureAwait(false))
            {
                if (!started)
                {
                    response.StatusCode = StatusCodes.Status200OK;
                    response.ContentType = GatewayJson.ContentType;
                    response.Headers["Grpc-Metadata-Content-Type"] = "application/grpc";
                    started = true;
                }
                await response.Body.WriteAsync(GatewayJson.ResultLine(responses.Current), context.RequestAborted).ConfigureAwait(false);
                await response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (RpcException e) when (!context.RequestAborted.IsCancellationRequested)
        {
            if (!started)
            {
                response.StatusCode = GatewayHttpStatus.FromGrpc(e.StatusCode);
                response.ContentType = GatewayJson.ContentType;
            }
            await response.Body.WriteAsync(GatewayJson.StreamErrorChunk(e.StatusCode, e.Status.Detail), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or RpcException && context.RequestAborted.IsCancellationRequested)
        {
            // The HTTP client went away; the gRPC call ends with it.
        }
    }
}
