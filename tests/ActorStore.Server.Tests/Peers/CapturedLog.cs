using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ActorStore.Server.Tests.Peers;

/// <summary>A logger that keeps every line it is given, for tests that check what a member logs.</summary>
internal sealed class CapturedLog : ILogger
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => _lines.ToArray();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _lines.Enqueue($"{logLevel}: {formatter(state, exception)}");
}
