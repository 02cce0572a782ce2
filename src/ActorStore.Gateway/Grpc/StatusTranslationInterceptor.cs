using ActorStore.Protocol.Errors;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ProjectRpcException = ActorStore.Protocol.Errors.RpcException;
using RpcException = Grpc.Core.RpcException;
using StatusCode = Grpc.Core.StatusCode;

namespace ActorStore.Gateway.Grpc;

/// <summary>
/// Turns what a handler throws into the status the client reads: the project's errors keep their code and message,
/// a method a generated base leaves unimplemented gets the server's message for it, and a handler that ended with its
/// context answers as etcd's Go server does (see <see cref="CallStatus"/>).
/// </summary>
public sealed class StatusTranslationInterceptor(
    GrpcServerOptions options, IHostApplicationLifetime lifetime, ILoggerFactory loggers) : CallInterceptor
{
    private static readonly Action<ILogger, string, Exception?> LogHandlerFailure =
        LoggerMessage.Define<string>(LogLevel.Error, new EventId(1, "GrpcHandlerFailed"), "gRPC handler of {Method} failed");

    private readonly ILogger _logger = loggers.CreateLogger("ActorStore.Gateway.Grpc");

    protected override async Task<T> InterceptAsync<T>(ServerCallContext context, Func<ServerCallContext, Task<T>> call)
    {
        try
        {
            return await call(context).ConfigureAwait(false);
        }
        catch (ProjectRpcException error)
        {
            throw error.ToGrpc();
        }
        catch (RpcException error) when (error.StatusCode == StatusCode.Unimplemented && error.Status.Detail.Length == 0)
        {
            // A generated service base answers a method the service does not override this way.
            throw new RpcException(new Status(StatusCode.Unimplemented, options.UnimplementedMessage(context.Method)));
        }
        catch (Exception error) when (error is not RpcException)
        {
            throw Classify(error, context);
        }
    }

    private RpcException Classify(Exception error, ServerCallContext context)
    {
        if (context.GetHttpContext().RequestAborted.IsCancellationRequested)
        {
            return CallStatus.ContextCanceled;
        }

        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return EtcdErrors.Stopped.ToGrpc();
        }

        if (context is CallLifetimeContext { DeadlineExpired: true }
            || (context.Deadline != DateTime.MaxValue && DateTime.UtcNow >= context.Deadline))
        {
            return CallStatus.ContextDeadlineExceeded;
        }

        if (error is OperationCanceledException)
        {
            return CallStatus.ContextCanceled;
        }

        LogHandlerFailure(_logger, context.Method, error);
        return new RpcException(new Status(StatusCode.Unknown, error.Message));
    }
}
