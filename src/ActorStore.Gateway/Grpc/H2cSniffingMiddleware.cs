using System.Buffers;
using System.IO.Pipelines;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace ActorStore.Gateway.Grpc;

/// <summary>
/// Kestrel picks HTTP/1.1 for every cleartext connection on an Http1AndHttp2 endpoint, because without TLS there is
/// no ALPN to tell. This connection middleware peeks at the first bytes (consuming nothing) and, when they are the
/// HTTP/2 client preface, adds the two connection features ALPN would have set: a TLS connection feature and an
/// application protocol of "h2". Kestrel's protocol selection then starts HTTP/2 on that connection.
/// </summary>
internal sealed class H2cSniffingMiddleware(ConnectionDelegate next, KestrelServerLimits limits)
{
    private static ReadOnlySpan<byte> Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    public async Task OnConnectionAsync(ConnectionContext connection)
    {
        if (connection.Features.Get<ITlsConnectionFeature>() is null)
        {
            bool isHttp2;
            try
            {
                isHttp2 = await StartsWithPrefaceAsync(connection.Transport.Input, connection.ConnectionClosed).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or ConnectionResetException)
            {
                // Closed, reset or silent for too long before sending a byte.
                return;
            }

            if (isHttp2)
            {
                var alpn = new H2cProtocolFeature();
                connection.Features.Set<ITlsConnectionFeature>(alpn);
                connection.Features.Set<ITlsApplicationProtocolFeature>(alpn);
            }
        }

        await next(connection).ConfigureAwait(false);
    }

    /// <summary>
    /// Looks at the first bytes without consuming or examining them, so Kestrel's first read returns them at once.
    /// Waits for more only while what arrived is a strict prefix of the preface.
    /// </summary>
    internal async Task<bool> StartsWithPrefaceAsync(PipeReader input, CancellationToken connectionClosed)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(connectionClosed);
        // A client that connects and stays silent is held no longer than an idle keep-alive connection.
        timeout.CancelAfter(limits.KeepAliveTimeout);
        var result = await input.ReadAsync(timeout.Token).ConfigureAwait(false);
        while (true)
        {
            var buffer = result.Buffer;
            var matches = MatchesPreface(buffer, out var complete);
            var finished = result.IsCompleted || result.IsCanceled;
            input.AdvanceTo(buffer.Start);
            if (!matches || complete || finished)
            {
                return matches && complete;
            }

            result = await input.ReadAtLeastAsync(Preface.Length, timeout.Token).ConfigureAwait(false);
        }
    }

    private static bool MatchesPreface(in ReadOnlySequence<byte> buffer, out bool complete)
    {
        var length = (int)Math.Min(buffer.Length, Preface.Length);
        complete = length == Preface.Length;
        Span<byte> start = stackalloc byte[Preface.Length];
        buffer.Slice(0, length).CopyTo(start);
        return start[..length].SequenceEqual(Preface[..length]);
    }

    /// <summary>Stands in for the features a TLS handshake with ALPN "h2" leaves behind; there is no certificate.</summary>
    private sealed class H2cProtocolFeature : ITlsConnectionFeature, ITlsApplicationProtocolFeature
    {
        public ReadOnlyMemory<byte> ApplicationProtocol => "h2"u8.ToArray();

        public X509Certificate2? ClientCertificate
        {
            get => null;
            set => throw new NotSupportedException("A cleartext HTTP/2 connection has no client certificate.");
        }

        public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) =>
            Task.FromResult<X509Certificate2?>(null);
    }
}
