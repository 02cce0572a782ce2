using Microsoft.Extensions.Logging;

namespace ActorStore.Logging;

/// <summary>One category's logger; formats each entry into a JSON line and hands it to the provider's writer.</summary>
internal sealed class JsonLinesLogger(string category, JsonLinesLoggerProvider provider) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= provider.MinimumLevel;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        ArgumentNullException.ThrowIfNull(formatter);
        var line = JsonLogLine.Format(
            logLevel,
            provider.TimeProvider.GetUtcNow(),
            category,
            state as IReadOnlyList<KeyValuePair<string, object?>>,
            () => formatter(state, exception),
            exception);
        provider.Enqueue(line);
    }
}
