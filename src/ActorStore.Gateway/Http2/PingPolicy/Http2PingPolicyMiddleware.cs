using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Connections.Features;

namespace ActorStore.Gateway.Http2.PingPolicy;

/// <summary>
/// Puts the ping policy's reader and writer between the transport and Kestrel for the connection's lifetime, and
/// leaves the connection's <see cref="PingPolicyConnection"/> in its items for <see cref="CountStreamsAsync"/>.
/// </summary>
internal sealed class Http2PingPolicyMiddleware(ConnectionDelegate next, TimeSpan minTime, TimeProvider time)
{
    public async Task OnConnectionAsync(ConnectionContext context)
    {
        var transport = context.Transport;
        var connection = new PingPolicyConnection(minTime, time);
        context.Items[typeof(PingPolicyConnection)] = connection;
        context.Transport = new Duplex(
            new PingWatchingPipeReader(transport.Input, connection),
            new PingPolicyPipeWriter(transport.Output, connection, transport.Input));
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            context.Transport = transport;
        }
    }

    /// <summary>
    /// HTTP middleware: counts the requests in flight on the connection, the active streams whose presence lets a
    /// client ping at the minimum interval instead of every two hours.
    /// </summary>
    public static Task CountStreamsAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(typeof(PingPolicyConnection), out var item) != true
            || item is not PingPolicyConnection connection)
        {
            return next(context);
        }

        connection.StreamStarted();
        Task running;
        try
        {
            running = next(context);
        }
        catch
        {
            connection.StreamEnded();
            throw;
        }

        if (running.IsCompleted)
        {
            connection.StreamEnded();
            return running;
        }

        return EndWhenDoneAsync(running, connection);
    }

    private static async Task EndWhenDoneAsync(Task running, PingPolicyConnection connection)
    {
        try
        {
            await running.ConfigureAwait(false);
        }
        finally
        {
            connection.StreamEnded();
        }
    }

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
