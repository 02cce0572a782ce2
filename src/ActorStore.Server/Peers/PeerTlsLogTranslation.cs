using Microsoft.Extensions.Logging;

namespace ActorStore.Server.Peers;

/// <summary>
/// The logger factory Akka logs through when the member's peers speak TLS. Akka.Remote reports a failed TLS
/// handshake as a many-line troubleshooting text; etcd's operators look for one "rejected connection" line with the
/// remote address and the reason. Those reports go to <see cref="PeerTlsSetup.OnTransportHandshakeFailure"/>, which
/// logs etcd's line; everything else passes through unchanged.
/// </summary>
public sealed class PeerTlsLogTranslation(ILoggerFactory inner, PeerTlsSetup tls) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new Translating(inner.CreateLogger(categoryName), tls);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    // The member owns the inner factory.
    public void Dispose()
    {
    }

    private sealed class Translating(ILogger inner, PeerTlsSetup tls) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Warning)
            {
                // The handshake's cause (what .NET's TLS stack reported) is part of what names the error.
                var text = exception is null ? formatter(state, exception) : formatter(state, exception) + "\n" + exception;
                if (tls.OnTransportHandshakeFailure(text))
                {
                    return;
                }
            }
            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
