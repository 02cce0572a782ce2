using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ActorStore.Server.Tests.Peers;

/// <summary>A logger factory that keeps every line, for tests that check what a member logged.</summary>
internal sealed class CapturedLogs : ILoggerFactory
{
    private readonly ConcurrentQueue<(LogLevel Level, string Text)> _lines = new();

    public IReadOnlyList<(LogLevel Level, string Text)> Lines => _lines.ToArray();

    public string? Find(string fragment, LogLevel level) =>
        _lines.FirstOrDefault(line => line.Level == level && line.Text.Contains(fragment, StringComparison.Ordinal)).Text;

    public ILogger CreateLogger(string categoryName) => new Logger(_lines);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<(LogLevel, string)> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue((logLevel, formatter(state, exception)));
    }
}
