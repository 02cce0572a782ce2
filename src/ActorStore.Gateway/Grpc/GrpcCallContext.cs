using System.Globalization;
using System.Net.Sockets;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace ActorStore.Gateway.Grpc;

/// <summary>What a handler knows about the call it serves: metadata, deadline, cancellation, peer.</summary>
public sealed class GrpcCallContext
{
    private readonly GrpcServerOptions _options;
    private readonly bool _gzipRequest;
    private string? _peer;

    internal GrpcCallContext(
        HttpContext httpContext,
        string method,
        DateTime? deadline,
        CancellationToken cancellationToken,
        bool gzipRequest,
        GrpcServerOptions options)
    {
        HttpContext = httpContext;
        Method = method;
        Deadline = deadline;
        CancellationToken = cancellationToken;
        _gzipRequest = gzipRequest;
        _options = options;
    }

    /// <summary>The full method, e.g. "/etcdserverpb.KV/Range".</summary>
    public string Method { get; }

    /// <summary>When the client's grpc-timeout runs out (UTC), or null without a timeout.</summary>
    public DateTime? Deadline { get; }

    /// <summary>Fires when the client goes away (stream reset, connection lost) or the deadline passes.</summary>
    public CancellationToken CancellationToken { get; }

    public HttpContext HttpContext { get; }

    /// <summary>The client's address as "ip:port" ("[ip]:port" for IPv6), as grpc-go's peer reports it.</summary>
    public string Peer => _peer ??= FormatPeer(HttpContext.Connection);

    /// <summary>True once a response message went out; afterwards the status travels in trailers.</summary>
    internal bool ResponseMessageWritten { get; private set; }

    /// <summary>A request metadata value (header names are case-insensitive), e.g. "token" for etcd auth.</summary>
    public string? GetHeader(string name)
    {
        return HttpContext.Request.Headers.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;
    }

    /// <summary>Adds response metadata; only before the first response message is written.</summary>
    public void AddResponseHeader(string name, string value) => HttpContext.Response.Headers.Append(name, value);

    /// <summary>Adds trailing metadata, sent with the status at the end of the call.</summary>
    public void AddResponseTrailer(string name, string value) => HttpContext.Response.AppendTrailer(name, value);

    internal ValueTask<T?> ReadMessageAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        return GrpcMessageReader.ReadMessageAsync(
            HttpContext.Request.BodyReader,
            parser,
            _options.MaxReceiveMessageSize,
            _gzipRequest,
            cancellationToken.CanBeCanceled ? cancellationToken : CancellationToken);
    }

    /// <summary>Buffers a response message; unary calls leave the flush to the end of the call (data and trailers go out together).</summary>
    internal void WriteMessage(IMessage message)
    {
        GrpcMessageWriter.WriteMessage(HttpContext.Response.BodyWriter, message, _options.MaxSendMessageSize);
        ResponseMessageWritten = true;
    }

    private static string FormatPeer(ConnectionInfo connection)
    {
        var address = connection.RemoteIpAddress;
        if (address is null)
        {
            return string.Empty;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var port = connection.RemotePort.ToString(CultureInfo.InvariantCulture);
        return address.AddressFamily == AddressFamily.InterNetworkV6
            ? $"[{address}]:{port}"
            : $"{address}:{port}";
    }
}
