using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace ActorStore.Gateway.Grpc;

public static class H2cSniffingExtensions
{
    /// <summary>
    /// Lets one cleartext endpoint serve HTTP/1.1 and prior-knowledge HTTP/2 (h2c): connections that open with the
    /// HTTP/2 client preface are handed to Kestrel's HTTP/2 stack, all others to HTTP/1.1.
    /// Sets <see cref="ListenOptions.Protocols"/> to Http1AndHttp2. On a TLS endpoint (UseHttps added after this)
    /// the sniffer sees a TLS handshake, steps aside, and ALPN decides as usual.
    /// </summary>
    public static ListenOptions UseH2cSniffing(this ListenOptions listenOptions)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        listenOptions.Protocols = HttpProtocols.Http1AndHttp2;

        // h2c requests carry ":scheme http" while Kestrel believes the connection is TLS (see H2cSniffingMiddleware).
        listenOptions.KestrelServerOptions.AllowAlternateSchemes = true;
        var limits = listenOptions.KestrelServerOptions.Limits;
        listenOptions.Use(next => new H2cSniffingMiddleware(next, limits).OnConnectionAsync);
        return listenOptions;
    }
}
