using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace ActorStore.Gateway.Grpc;

/// <summary>
/// Refuses request messages over <see cref="GrpcServerOptions.MaxReceiveMessageSize"/> with grpc-go's status and
/// wording, which etcd's clients see. Grpc.AspNetCore's own limit is set higher (see GrpcHost) and only keeps
/// absurd messages from being buffered.
/// </summary>
public sealed class MessageSizeInterceptor(GrpcServerOptions options) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Check(request);
        return continuation(request, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        continuation(new CheckedReader<TRequest>(requestStream, this), context);

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(request);
        return continuation(request, responseStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        continuation(new CheckedReader<TRequest>(requestStream, this), responseStream, context);

    private void Check<T>(T request)
    {
        if (request is IMessage message && message.CalculateSize() is var size && size > options.MaxReceiveMessageSize)
        {
            throw new RpcException(new Status(
                StatusCode.ResourceExhausted, $"grpc: received message larger than max ({size} vs. {options.MaxReceiveMessageSize})"));
        }
    }

    private sealed class CheckedReader<T>(IAsyncStreamReader<T> inner, MessageSizeInterceptor sizes) : IAsyncStreamReader<T>
    {
        public T Current => inner.Current;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            if (!await inner.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            sizes.Check(inner.Current);
            return true;
        }
    }
}
