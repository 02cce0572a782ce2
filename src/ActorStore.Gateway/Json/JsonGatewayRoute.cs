using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace ActorStore.Gateway.Json;

/// <summary>One POST path of the JSON gateway: reads the JSON request, makes the gRPC call, writes the JSON answer.</summary>
internal abstract class JsonGatewayRoute
{
    public abstract Task InvokeAsync(HttpContext context, CallOptions options);

    /// <summary>The first JSON object of the body as the request message (an empty body is the empty request, as in Go).</summary>
    protected static async Task<TRequest> ReadRequestAsync<TRequest>(HttpContext context)
        where TRequest : class, Google.Protobuf.IMessage, new()
    {
        using var reader = new JsonValueReader(context.Request.Body);
        var json = await reader.ReadNextAsync(context.RequestAborted).ConfigureAwait(false);
        return json is null ? new TRequest() : GatewayJson.Parse<TRequest>(json);
    }
}
