using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using ActorStore.Server.Tls;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace ActorStore.Gateway.Tls;

/// <summary>
/// Kestrel's TLS for https:// client URLs, with etcd's client flags. Every handshake takes the certificate and the CRL
/// as they are on disk then (read again only when the files changed), so renewed certificates need no restart. Client
/// certificates are checked by <see cref="TlsCertificatePolicy"/> inside the handshake; a refused client, or one whose
/// handshake fails otherwise, is logged as etcd logs it ("rejected connection") and the listener goes on serving.
/// </summary>
public sealed class ClientTlsSetup
{
    /// <summary>The first byte of every TLS record that starts a handshake (ContentType handshake, RFC 8446 5.1).</summary>
    private const byte TlsHandshakeRecord = 0x16;

    /// <summary>How long a new connection may stay silent before it is dropped without a handshake (Kestrel's own handshake timeout).</summary>
    private static readonly TimeSpan FirstByteTimeout = TimeSpan.FromSeconds(10);

    private readonly FileBackedValue<X509Certificate2> _certificate;
    private readonly TlsCertificatePolicy _policy;
    private readonly CipherSuitesPolicy? _cipherSuites;
    private readonly ILogger _log;

    // The handshake under way in this async flow, so Kestrel's report of its failure (a log entry) reaches it.
    private readonly AsyncLocal<ClientHandshake?> _currentHandshake = new();

    private ClientTlsSetup(string certFile, string keyFile, TlsCertificatePolicy policy, CipherSuitesPolicy? cipherSuites, string description, ILogger log)
    {
        _certificate = new FileBackedValue<X509Certificate2>([certFile, keyFile], () => TlsCertificateFiles.LoadPem(certFile, keyFile));
        CertFile = certFile;
        KeyFile = keyFile;
        _policy = policy;
        _cipherSuites = cipherSuites;
        Description = description;
        _log = log;
    }

    /// <summary>The certificate file in use: the given one, or auto-TLS's under data-dir/fixtures/client.</summary>
    public string CertFile { get; }

    public string KeyFile { get; }

    /// <summary>What etcd logs as "tls-info" when it starts with client TLS.</summary>
    public string Description { get; }

    /// <summary>
    /// The client TLS for <paramref name="options"/>. With --auto-tls (and no certificate files) the certificate is made
    /// once under <paramref name="dataDir"/>/fixtures/client for <paramref name="hosts"/>, and, as in etcd, it replaces
    /// the whole client TLS configuration: clients are encrypted, not checked.
    /// </summary>
    public static ClientTlsSetup Create(ClientTlsOptions options, string dataDir, IEnumerable<string> hosts, ILogger log, TimeProvider clock)
    {
        var (certFile, keyFile) = options.HasCertificate
            ? (options.CertFile, options.KeyFile)
            : options.AutoTls
                ? TlsCertificateFiles.EnsureSelfSigned(Path.Combine(dataDir, "fixtures", "client"), hosts, clock)
                : throw new InvalidOperationException("https:// client URLs need --cert-file and --key-file, or --auto-tls");
        var checks = options.HasCertificate ? options : new ClientTlsOptions();
        var policy = TlsCertificatePolicy.ForClients(checks.TrustedCaFile, checks.ClientCertAuth, checks.CrlFile, checks.AllowedHostname);
        var suites = GoCipherSuites.ForServer(options.CipherSuites);
        var description = $"cert = {certFile}, key = {keyFile}, trusted-ca = {checks.TrustedCaFile}, client-cert-auth = {(checks.ClientCertAuth ? "true" : "false")}, crl-file = {checks.CrlFile}";
        var setup = new ClientTlsSetup(certFile, keyFile, policy, suites is null ? null : CipherSuitesPolicyOf(suites), description, log);
        // etcd reads the pair when it builds its TLS configuration: a broken one stops the start, not the first client.
        _ = setup._certificate.Current;
        return setup;
    }

    private static CipherSuitesPolicy CipherSuitesPolicyOf(IEnumerable<TlsCipherSuite> suites) =>
        // .NET takes a cipher suite list only where OpenSSL (or Apple's TLS) does the handshake, not on Windows.
        OperatingSystem.IsWindows()
            ? throw new PlatformNotSupportedException("--cipher-suites needs a platform where .NET can restrict TLS cipher suites (Linux, macOS)")
            : new CipherSuitesPolicy(suites);

    /// <summary>
    /// For <see cref="Grpc.GrpcHostOptions.ConfigureEndpoint"/>: TLS on https:// endpoints (ALPN h2 for gRPC, http/1.1 for
    /// curl and health checks), nothing on http:// ones.
    /// </summary>
    public void ConfigureEndpoint(ListenOptions listen, Uri url)
    {
        if (url.Scheme != Uri.UriSchemeHttps)
        {
            return;
        }
        listen.Use(next => connection => WatchHandshakeAsync(connection, next));
        listen.UseHttps(new TlsHandshakeCallbackOptions { OnConnection = OnConnectionAsync, HandshakeTimeout = FirstByteTimeout });
        listen.Use(next => connection =>
        {
            connection.Features.Get<ClientHandshake>()?.Completed();
            _currentHandshake.Value = null;
            return next(connection);
        });
    }

    /// <summary>
    /// The logger factory Kestrel should get: Kestrel reports a failed TLS handshake only as a debug entry; that entry
    /// goes to the connection's handshake here (for etcd's "rejected connection" line) instead of the log.
    /// </summary>
    public ILoggerFactory WatchKestrelLogs(ILoggerFactory loggers) => new KestrelHandshakeLogs(loggers, this);

    /// <summary>
    /// Around Kestrel's TLS: turns away at once a connection whose first bytes are not a TLS handshake (plain HTTP, say),
    /// and logs a handshake that failed without this member's own check refusing the client.
    /// </summary>
    private async Task WatchHandshakeAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var handshake = new ClientHandshake(RemoteAddress(connection.RemoteEndPoint));
        connection.Features.Set(handshake);
        // Not linked to ConnectionClosed: a client that hangs up at once must read as EOF, not as a cancelled read.
        using (var silence = new CancellationTokenSource(FirstByteTimeout))
        {
            try
            {
                var read = await connection.Transport.Input.ReadAsync(silence.Token).ConfigureAwait(false);
                var buffer = read.Buffer;
                var first = buffer.IsEmpty ? (byte?)null : buffer.FirstSpan[0];
                // Nothing consumed: Kestrel's TLS reads the same bytes next.
                connection.Transport.Input.AdvanceTo(buffer.Start);
                if (first is null)
                {
                    // Closed before a byte was sent (a port probe, say): Go's handshake reads EOF, and etcd logs that.
                    handshake.Refused();
                    RejectedConnectionLog.Write(_log, handshake.RemoteAddress, "", null, "EOF");
                    return;
                }
                if (first != TlsHandshakeRecord)
                {
                    handshake.Refused();
                    RejectedConnectionLog.Write(_log, handshake.RemoteAddress, "", null, "tls: first record does not look like a TLS handshake");
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (IOException)
            {
                // A reset before the first byte; Go's handshake reports the failed read.
                handshake.Refused();
                RejectedConnectionLog.Write(_log, handshake.RemoteAddress, "", null,
                    $"read tcp {RemoteAddress(connection.LocalEndPoint)}->{handshake.RemoteAddress}: read: connection reset by peer");
                return;
            }
        }
        _currentHandshake.Value = handshake;
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            _currentHandshake.Value = null;
        }
        if (handshake.ShouldBeLogged)
        {
            RejectedConnectionLog.Write(_log, handshake.RemoteAddress, handshake.ServerName, null,
                handshake.FailureReport is { } report ? RejectedConnectionLog.DescribeHandshakeError(report) : "EOF");
        }
    }

    private ValueTask<SslServerAuthenticationOptions> OnConnectionAsync(TlsHandshakeCallbackContext context)
    {
        var handshake = context.Connection.Features.Get<ClientHandshake>() ?? new ClientHandshake(RemoteAddress(context.Connection.RemoteEndPoint));
        handshake.ServerName = context.ClientHelloInfo.ServerName ?? "";
        X509Certificate2 certificate;
        try
        {
            certificate = _certificate.Current;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            // etcd fails this handshake and says why; the next one reads the files again.
            _log.LogWarning(
                e is FileNotFoundException or DirectoryNotFoundException ? "failed to find peer cert files {cert-file} {key-file} {error}" : "failed to create peer certificate {cert-file} {key-file} {error}",
                CertFile, KeyFile, e is FileNotFoundException missing ? $"open {missing.FileName}: no such file or directory" : e.Message);
            throw;
        }
        return ValueTask.FromResult(new SslServerAuthenticationOptions
        {
            ServerCertificate = certificate,
            ClientCertificateRequired = _policy.RequireClientCertificate,
            RemoteCertificateValidationCallback = (_, presented, chain, _) => Validate(handshake, presented, chain),
            // etcd's MinVersion is TLS 1.2.
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CipherSuitesPolicy = _cipherSuites,
            ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        });
    }

    private bool Validate(ClientHandshake handshake, X509Certificate? presented, X509Chain? chain)
    {
        var certificate = presented as X509Certificate2 ?? (presented is null ? null : new X509Certificate2(presented));
        var presentedChain = chain is null ? [] : chain.ChainElements.Select(element => element.Certificate).ToList();
        var reason = _policy.Refuse(certificate, presentedChain, TlsConnectionRole.Inbound, HostOf(handshake.RemoteAddress));
        if (reason is null)
        {
            return true;
        }
        handshake.Refused();
        RejectedConnectionLog.Write(_log, handshake.RemoteAddress, handshake.ServerName, certificate, reason);
        return false;
    }

    /// <summary>Kestrel's report of a failed handshake, for the handshake of this async flow.</summary>
    private void OnHandshakeFailureReport(string report)
    {
        if (_currentHandshake.Value is { } handshake)
        {
            handshake.FailureReport ??= report;
        }
    }

    /// <summary>Go's RemoteAddr().String(): "127.0.0.1:40430", "[::1]:40430".</summary>
    private static string RemoteAddress(EndPoint? endPoint) => endPoint switch
    {
        IPEndPoint ip when ip.Address.IsIPv4MappedToIPv6 => new IPEndPoint(ip.Address.MapToIPv4(), ip.Port).ToString(),
        IPEndPoint ip => ip.ToString(),
        null => "",
        _ => endPoint.ToString() ?? "",
    };

    private static string HostOf(string remoteAddress)
    {
        var colon = remoteAddress.LastIndexOf(':');
        return (colon > 0 ? remoteAddress[..colon] : remoteAddress).Trim('[', ']');
    }

    /// <summary>One client connection's TLS handshake: who it is, and whether its end has been told already.</summary>
    private sealed class ClientHandshake(string remoteAddress)
    {
        private int _settled;

        public string RemoteAddress { get; } = remoteAddress;

        /// <summary>The SNI the client sent; empty without (Go's clients send none for an IP address).</summary>
        public string ServerName { get; set; } = "";

        public string? FailureReport { get; set; }

        /// <summary>Neither completed nor refused by this member's own check (which logs it itself).</summary>
        public bool ShouldBeLogged => Interlocked.CompareExchange(ref _settled, 1, 0) == 0;

        public void Completed() => Interlocked.Exchange(ref _settled, 1);

        public void Refused() => Interlocked.Exchange(ref _settled, 1);
    }

    /// <summary>Passes every entry on, except Kestrel's reports of failed TLS handshakes, which go to <see cref="OnHandshakeFailureReport"/>.</summary>
    private sealed class KestrelHandshakeLogs(ILoggerFactory inner, ClientTlsSetup tls) : ILoggerFactory
    {
        private const string HttpsMiddlewareCategory = "Microsoft.AspNetCore.Server.Kestrel.Https.Internal.HttpsConnectionMiddleware";

        public ILogger CreateLogger(string categoryName)
        {
            var logger = inner.CreateLogger(categoryName);
            return categoryName == HttpsMiddlewareCategory ? new HandshakeReports(logger, tls) : logger;
        }

        public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

        // The member owns the inner factory.
        public void Dispose()
        {
        }
    }

    private sealed class HandshakeReports(ILogger inner, ClientTlsSetup tls) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        // The failure reports are debug entries: they must be produced even when the log shows no debug.
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Name is "AuthenticationFailed" or "AuthenticationTimedOut")
            {
                tls.OnHandshakeFailureReport(exception is null ? formatter(state, exception) : formatter(state, exception) + "\n" + exception);
                return;
            }
            if (inner.IsEnabled(logLevel))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
