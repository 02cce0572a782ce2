using Microsoft.Extensions.Logging;

namespace ActorStore.Gateway.Grpc;

/// <summary>
/// The member's loggers, with Grpc.AspNetCore's own categories held to warnings and above: it reports every non-OK
/// status a call ends with at Information, and etcd's server logs none of them (the member's clients get many); and
/// without ASP.NET Core's per-request lines.
/// Disposing leaves the member's factory to its owner.
/// </summary>
internal sealed class QuietGrpcLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    private const string GrpcCategoryPrefix = "Grpc.";

    // ASP.NET Core's per-request log lines; while this category is enabled at all, hosting also makes an Activity and
    // a log scope for every request. Unhandled errors are still logged by Kestrel's own category.
    private const string HostingDiagnosticsCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    public ILogger CreateLogger(string categoryName)
    {
        if (categoryName == HostingDiagnosticsCategory)
        {
            return Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        }
        var logger = inner.CreateLogger(categoryName);
        return categoryName.StartsWith(GrpcCategoryPrefix, StringComparison.Ordinal) ? new WarningsOnly(logger) : logger;
    }

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose()
    {
    }

    private sealed class WarningsOnly(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning && inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
