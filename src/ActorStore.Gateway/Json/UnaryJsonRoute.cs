using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace ActorStore.Gateway.Json;

/// <summary>A unary method: one JSON request, one JSON answer or grpc-gateway's error body.</summary>
internal sealed class UnaryJsonRoute<TRequest, TResponse>(Func<TRequest, CallOptions, AsyncUnaryCall<TResponse>> call) : JsonGatewayRoute
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

        TResponse response;
        try
        {
            using var pending = call(request, options);
            response = await pending.ResponseAsync.ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            await GatewayJson.WriteErrorAsync(context, e.StatusCode, e.Status.Detail).ConfigureAwait(false);
            return;
        }
        await GatewayJson.WriteMessageAsync(context, response).ConfigureAwait(false);
    }
}
