using Grpc.Core;

namespace ActorStore.Gateway.Grpc;

/// <summary>Compresses the responses of a call whose requests came gzip-compressed, as grpc-go's server does.</summary>
public sealed class ResponseCompressionInterceptor : CallInterceptor
{
    // Grpc.AspNetCore takes this response header as the call's response encoding instead of sending it.
    private const string ResponseEncodingRequest = "grpc-internal-encoding-request";

    protected override Task<T> InterceptAsync<T>(ServerCallContext context, Func<ServerCallContext, Task<T>> call) =>
        // Grpc.AspNetCore leaves grpc-encoding out of RequestHeaders. Most calls are not compressed: no state machine for them.
        context.GetHttpContext().Request.Headers[GrpcHeaders.Encoding] == "gzip" ? CompressedAsync(context, call) : call(context);

    private static async Task<T> CompressedAsync<T>(ServerCallContext context, Func<ServerCallContext, Task<T>> call)
    {
        await context.WriteResponseHeadersAsync(new Metadata { { ResponseEncodingRequest, "gzip" } }).ConfigureAwait(false);
        return await call(context).ConfigureAwait(false);
    }
}
