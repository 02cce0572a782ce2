using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace ActorStore.Gateway.Http2.PingPolicy;

public static class Http2PingPolicyExtensions
{
    /// <summary>
    /// Enforces grpc-go's keepalive policy on the endpoint's HTTP/2 connections, as etcd's --grpc-keepalive-min-time
    /// does: a client that pings more often than <paramref name="minTime"/> while it has calls open (or at all while
    /// it has none) gets GOAWAY ENHANCE_YOUR_CALM "too_many_pings" after its third strike, and the connection closes.
    /// Kestrel has no such policy of its own. Add it after <c>UseHttps</c> on TLS endpoints, so it sees the HTTP/2
    /// frames, and pair it with <see cref="UseHttp2PingPolicyStreamCounting"/>.
    /// </summary>
    public static ListenOptions UseHttp2PingPolicy(this ListenOptions listenOptions, TimeSpan minTime, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        listenOptions.Use(next => new Http2PingPolicyMiddleware(next, minTime, time ?? TimeProvider.System).OnConnectionAsync);
        return listenOptions;
    }

    /// <summary>Counts the requests open on each connection for the ping policy; first in the request pipeline.</summary>
    public static IApplicationBuilder UseHttp2PingPolicyStreamCounting(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use(Http2PingPolicyMiddleware.CountStreamsAsync);
    }
}
