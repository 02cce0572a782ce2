using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace ActorStore.Gateway.Http2;

public static class Http2AuthorityRepairExtensions
{
    /// <summary>
    /// Repairs the :authority of HTTP/2 requests whose value is a URL ("http://127.0.0.1:2379", as etcdctl 3.4 and
    /// other grpc-go clients dialing a passthrough target send it) to the authority inside it, before Kestrel rejects
    /// the stream. Connections whose first request has a valid authority, and HTTP/1.x connections, are read without
    /// any filtering after the first header block or first bytes.
    /// Add it after <c>UseH2cSniffing</c> on cleartext endpoints and after <c>UseHttps</c> on TLS endpoints: it must
    /// see the HTTP/2 bytes themselves.
    /// </summary>
    public static ListenOptions UseHttp2AuthorityRepair(this ListenOptions listenOptions)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        listenOptions.Use(next => new Http2AuthorityRepairMiddleware(next).OnConnectionAsync);
        return listenOptions;
    }
}
