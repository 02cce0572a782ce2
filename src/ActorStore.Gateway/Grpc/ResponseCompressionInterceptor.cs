using Grpc.Core;

namespace ActorStore.Gateway.Grpc;

/// <summary>Compresses the responses of a call whose requests came gzip-compressed, as grpc-go's server does.</summary>
public sealed class ResponseCompressionInterceptor : CallInterceptor
{
    // Grpc.AspNetCore takes this response header as the call's response encoding instead of sending it.
    private const string ResponseEncodingRequest = "grpc-internal-encoding-request";

    protected override async Task<T> InterceptAsync<T>(ServerCallContext context, Func<ServerCallContext, Task<T>> call)
    {
        // Grpc.AspNetCore leaves grpc-encoding out of RequestHeaders.
        if (context.GetHttpContext().Request.Headers[GrpcHeaders.Encoding] == "gzip")
        {
            await context.WriteResponseHeadersAsync(new Metadata { { ResponseEncodingRequest, "gzip" } }).ConfigureAwait(false);
        }

        return await call(context).ConfigureAwait(false);
    }
}
