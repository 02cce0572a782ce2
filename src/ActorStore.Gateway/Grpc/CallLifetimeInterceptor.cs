using Grpc.Core;
using Microsoft.Extensions.Hosting;

namespace ActorStore.Gateway.Grpc;

/// <summary>
/// Gives each call the token its handler waits on: it fires when the client goes away, when the client's grpc-timeout
/// runs out (taken by <see cref="GrpcRequestGate"/>), and when the host begins to stop, so that open streams end at
/// once instead of holding the shutdown until its grace runs out.
/// </summary>
public sealed class CallLifetimeInterceptor(IHostApplicationLifetime lifetime) : CallInterceptor
{
    // Grpc.AspNetCore finds the HttpContext of a context it did not make itself under this UserState key.
    private const string HttpContextKey = "__HttpContext";

    // CancelAfter cannot take more than about 49 days; longer timeouts are left to run without a timer.
    private static readonly TimeSpan LongestTimer = TimeSpan.FromDays(30);

    protected override async Task<T> InterceptAsync<T>(ServerCallContext context, Func<ServerCallContext, Task<T>> call)
    {
        var httpContext = context.GetHttpContext();
        var timeout = httpContext.Features.Get<GrpcCallTimeout>();
        if (timeout is not null && timeout.Timeout <= TimeSpan.Zero)
        {
            throw CallStatus.ContextDeadlineExceeded;
        }

        using var deadlineSource = new CancellationTokenSource();
        if (timeout is not null && timeout.Timeout < LongestTimer)
        {
            var left = timeout.Deadline - DateTime.UtcNow;
            deadlineSource.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
        }

        using var lifetimeSource = CancellationTokenSource.CreateLinkedTokenSource(
            context.CancellationToken, lifetime.ApplicationStopping, deadlineSource.Token);
        context.UserState[HttpContextKey] = httpContext;
        var callContext = new CallLifetimeContext(context, timeout?.Deadline ?? DateTime.MaxValue, deadlineSource.Token, lifetimeSource.Token);
        return await call(callContext).ConfigureAwait(false);
    }
}
