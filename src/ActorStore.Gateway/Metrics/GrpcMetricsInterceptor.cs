using System.Diagnostics;
using ActorStore.Server.Metrics;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace ActorStore.Gateway.Metrics;

/// <summary>
/// Counts every call of etcd's services (started, handled by status code, handling time with --metrics=extensive)
/// and the bytes of the messages sent to clients, as etcd's go-grpc-prometheus interceptors and stats handler do.
/// </summary>
public sealed class GrpcMetricsInterceptor(GrpcServerMetrics metrics) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var method = Start(context, request);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await continuation(request, context).ConfigureAwait(false);
            CountSent(response);
            method?.Handled(StatusCode.OK, Stopwatch.GetElapsedTime(started).TotalSeconds);
            return response;
        }
        catch (Exception e)
        {
            method?.Handled(CodeOf(e, context), Stopwatch.GetElapsedTime(started).TotalSeconds);
            throw;
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var method = Start(context, null);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await continuation(requestStream, context).ConfigureAwait(false);
            CountSent(response);
            method?.Handled(StatusCode.OK, Stopwatch.GetElapsedTime(started).TotalSeconds);
            return response;
        }
        catch (Exception e)
        {
            method?.Handled(CodeOf(e, context), Stopwatch.GetElapsedTime(started).TotalSeconds);
            throw;
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var method = Start(context, request);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await continuation(request, new CountingWriter<TResponse>(responseStream, metrics.SentBytes), context).ConfigureAwait(false);
            method?.Handled(StatusCode.OK, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        catch (Exception e)
        {
            method?.Handled(CodeOf(e, context), Stopwatch.GetElapsedTime(started).TotalSeconds);
            throw;
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var method = Start(context, null);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await continuation(requestStream, new CountingWriter<TResponse>(responseStream, metrics.SentBytes), context).ConfigureAwait(false);
            method?.Handled(StatusCode.OK, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        catch (Exception e)
        {
            method?.Handled(CodeOf(e, context), Stopwatch.GetElapsedTime(started).TotalSeconds);
            throw;
        }
    }

    private GrpcMethodMetrics? Start(ServerCallContext context, object? request)
    {
        if (request is IMessage message)
        {
            metrics.ReceivedBytes.Inc(message.CalculateSize());
        }
        var method = metrics.For(context.Method);
        method?.Started();
        return method;
    }

    private void CountSent(object? response)
    {
        if (response is IMessage message)
        {
            metrics.SentBytes.Inc(message.CalculateSize());
        }
    }

    /// <summary>The status the call ends with, whichever form the error took on the way out.</summary>
    private static StatusCode CodeOf(Exception error, ServerCallContext context) => error switch
    {
        RpcException grpc => grpc.StatusCode,
        Protocol.Errors.RpcException etcd => (StatusCode)(int)etcd.Status,
        OperationCanceledException when context.CancellationToken.IsCancellationRequested => StatusCode.Cancelled,
        _ => StatusCode.Unknown,
    };

    /// <summary>Counts the bytes of each streamed message on its way to the client.</summary>
    private sealed class CountingWriter<T>(IServerStreamWriter<T> inner, Prometheus.Counter sentBytes) : IServerStreamWriter<T>
    {
        public WriteOptions? WriteOptions
        {
            get => inner.WriteOptions;
            set => inner.WriteOptions = value;
        }

        public Task WriteAsync(T message) => WriteAsync(message, CancellationToken.None);

        public Task WriteAsync(T message, CancellationToken cancellationToken)
        {
            if (message is IMessage protobuf)
            {
                sentBytes.Inc(protobuf.CalculateSize());
            }
            return cancellationToken.CanBeCanceled ? inner.WriteAsync(message, cancellationToken) : inner.WriteAsync(message);
        }
    }
}
