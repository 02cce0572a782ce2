using Microsoft.Extensions.Logging;

namespace ActorStore.Logging;

/// <summary>Creates the program's logger factory: etcd-like JSON lines, filtered by etcd's --log-level words.</summary>
public static class LoggingSetup
{
    /// <summary>
    /// A logger factory writing one JSON object per line to <paramref name="output"/> (stderr when null).
    /// Framework categories (Microsoft.*, System.*) log warnings and above only, so Kestrel does not log each request.
    /// Dispose the factory to flush what is still queued.
    /// </summary>
    /// <param name="level">debug, info, warn, error, dpanic, panic or fatal.</param>
    public static ILoggerFactory CreateLoggerFactory(string level, TextWriter? output = null, TimeProvider? timeProvider = null)
    {
        var minimum = ParseLevel(level);
        var frameworkMinimum = minimum > LogLevel.Warning ? minimum : LogLevel.Warning;
        var filters = new LoggerFilterOptions { MinLevel = minimum };
        filters.Rules.Add(new LoggerFilterRule(null, "Microsoft", frameworkMinimum, null));
        filters.Rules.Add(new LoggerFilterRule(null, "System", frameworkMinimum, null));
        // Kestrel warns at bind time that cleartext endpoints speak HTTP/1.1 only; the gateway's h2c sniffing makes
        // that untrue, and the warning would mislead every user, so Kestrel's own warnings are left out.
        var kestrelMinimum = minimum > LogLevel.Error ? minimum : LogLevel.Error;
        filters.Rules.Add(new LoggerFilterRule(null, "Microsoft.AspNetCore.Server.Kestrel", kestrelMinimum, null));
        var factory = new LoggerFactory([], filters);

        // Added through AddProvider, the provider is disposed (and its queue drained) with the factory.
        factory.AddProvider(new JsonLinesLoggerProvider(output ?? Console.Error, minimum, timeProvider ?? TimeProvider.System));
        return factory;
    }

    /// <summary>Maps etcd's level words to <see cref="LogLevel"/>; panic and fatal both mean <see cref="LogLevel.Critical"/>.</summary>
    public static LogLevel ParseLevel(string level) => level switch
    {
        "debug" => LogLevel.Debug,
        "info" => LogLevel.Information,
        "warn" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "dpanic" or "panic" or "fatal" => LogLevel.Critical,
        _ => throw new ArgumentException($"unknown log level \"{level}\" (expected debug, info, warn, error, panic or fatal)", nameof(level)),
    };

    /// <summary>The word a JSON line carries for a level.</summary>
    public static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "error",
        _ => "fatal",
    };
}
