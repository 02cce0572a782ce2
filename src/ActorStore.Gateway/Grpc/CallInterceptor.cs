using Grpc.Core;
using Grpc.Core.Interceptors;

namespace ActorStore.Gateway.Grpc;

/// <summary>An interceptor that treats every kind of call alike: it wraps the whole call, whatever its streams.</summary>
public abstract class CallInterceptor : Interceptor
{
    /// <summary>Runs <paramref name="call"/>, which takes the context the handler is to see.</summary>
    protected abstract Task<T> InterceptAsync<T>(ServerCallContext context, Func<ServerCallContext, Task<T>> call);

    public sealed override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation) =>
        InterceptAsync(context, callContext => continuation(request, callContext));

    public sealed override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        InterceptAsync(context, callContext => continuation(requestStream, callContext));

    public sealed override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation) =>
        InterceptAsync(context, async callContext =>
        {
            await continuation(request, responseStream, callContext).ConfigureAwait(false);
            return true;
        });

    public sealed override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        InterceptAsync(context, async callContext =>
        {
            await continuation(requestStream, responseStream, callContext).ConfigureAwait(false);
            return true;
        });
}
