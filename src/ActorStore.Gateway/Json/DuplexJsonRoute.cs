using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace ActorStore.Gateway.Json;

/// <summary>
/// A bidirectional method (Watch, LeaseKeepAlive) over one HTTP request: every JSON object of the body is sent as
/// it arrives, the end of the body closes the sending side, and the answers stream back as JSON lines until the
/// call ends or the client goes away. As in grpc-gateway, a first object that does not parse fails the request
/// (Unknown); a later one ends the sending side.
/// </summary>
internal sealed class DuplexJsonRoute<TRequest, TResponse>(
    Func<CallOptions, AsyncDuplexStreamingCall<TRequest, TResponse>> open) : JsonGatewayRoute
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>
{
    public override async Task InvokeAsync(HttpContext context, CallOptions options)
    {
        using var body = new JsonValueReader(context.Request.Body);
        TRequest? first;
        try
        {
            var json = await body.ReadNextAsync(context.RequestAborted).ConfigureAwait(false);
            first = json is null ? null : GatewayJson.Parse<TRequest>(json);
        }
        catch (GatewayJsonException e)
        {
            await GatewayJson.WriteErrorAsync(context, StatusCode.Unknown, e.Message).ConfigureAwait(false);
            return;
        }

        using var call = open(options);
        using var stopSending = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var sending = SendAsync(first, body, call.RequestStream, stopSending.Token);
        try
        {
            await JsonStreamForwarder.ForwardAsync(context, call.ResponseStream).ConfigureAwait(false);
        }
        finally
        {
            await stopSending.CancelAsync().ConfigureAwait(false);
            await sending.ConfigureAwait(false);
        }
    }

    private static async Task SendAsync(TRequest? first, JsonValueReader body, IClientStreamWriter<TRequest> requests, CancellationToken stop)
    {
        try
        {
            var next = first;
            while (next is not null)
            {
                await requests.WriteAsync(next, stop).ConfigureAwait(false);
                var json = await body.ReadNextAsync(stop).ConfigureAwait(false);
                next = json is null ? null : GatewayJson.Parse<TRequest>(json);
            }
            await requests.CompleteAsync().ConfigureAwait(false);
        }
        catch (GatewayJsonException)
        {
            await CompleteQuietlyAsync(requests).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or RpcException or IOException or InvalidOperationException)
        {
            // The call or the HTTP request ended: nothing more can be sent.
        }
    }

    private static async Task CompleteQuietlyAsync(IClientStreamWriter<TRequest> requests)
    {
        try
        {
            await requests.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException)
        {
            // Already ended.
        }
    }
}
