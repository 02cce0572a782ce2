using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace ActorStore.Gateway.Json;

/// <summary>A server-streaming method (Observe, Snapshot): one JSON request, a stream of JSON lines.</summary>
internal sealed class ServerStreamingJsonRoute<TRequest, TResponse>(
    Func<TRequest, CallOptions, AsyncServerStreamingCall<TResponse>> call) : JsonGatewayRoute
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>
{
    public override async Task InvokeAsync(HttpContext context, CallOptions options)
    {
        TRequest request;
        try
        {
            request = await ReadRequestAsync<TRequest>(context).ConfigureAwait(false);
        }
        catch (GatewayJsonException e)
        {
            await GatewayJson.WriteErrorAsync(context, StatusCode.InvalidArgument, e.Message).ConfigureAwait(false);
            return;
        }

        using var streaming = call(request, options);
        await JsonStreamForwarder.ForwardAsync(context, streaming.ResponseStream).ConfigureAwait(false);
    }
}
