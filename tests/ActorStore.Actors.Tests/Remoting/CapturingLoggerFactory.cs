using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ActorStore.Actors.Tests.Remoting;

/// <summary>Keeps every formatted log line so tests can assert on what a component said.</summary>
internal sealed class CapturingLoggerFactory : ILoggerFactory
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();

    public IReadOnlyList<CapturedLog> Entries => [.. _entries];

    public bool Contains(string text, LogLevel minimumLevel = LogLevel.Trace) =>
        _entries.Any(e => e.Level >= minimumLevel && e.Text.Contains(text, StringComparison.Ordinal));

    public CapturedLog? Find(string text) => _entries.FirstOrDefault(e => e.Text.Contains(text, StringComparison.Ordinal));

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(CapturingLoggerFactory owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._entries.Enqueue(new CapturedLog(logLevel, category, formatter(state, exception)));
    }
}
