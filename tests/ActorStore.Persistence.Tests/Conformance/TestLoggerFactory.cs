using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ActorStore.Persistence.Tests.Conformance;

/// <summary>Collects every log line so tests can assert that a warning was reported.</summary>
public sealed class TestLoggerFactory : ILoggerFactory
{
    private readonly ConcurrentQueue<LogRecord> _records = new();

    public IReadOnlyList<LogRecord> Records => [.. _records];

    public IReadOnlyList<LogRecord> Warnings => [.. _records.Where(r => r.Level == LogLevel.Warning)];

    public ILogger CreateLogger(string categoryName) => new CollectingLogger(categoryName, _records);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class CollectingLogger(string category, ConcurrentQueue<LogRecord> records) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(
            LogLevel logLevel,
            EventId eventId,
            TState state,
            Exception? exception,
            Func<TState, Exception?, string> formatter) =>
            records.Enqueue(new LogRecord(category, logLevel, formatter(state, exception)));
    }
}
