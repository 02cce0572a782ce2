using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Dispatch;
using Akka.Event;
using Microsoft.Extensions.Logging;

namespace ActorStore.Server.Log;

/// <summary>
/// Akka's logger in a member: each of Akka's log events becomes one line of the member's own log, named after the
/// class that logged it, with Akka's message alone. Akka's own formatting would put its level, time, thread and
/// source inside the message, where the member's JSON lines already carry them.
/// </summary>
public sealed class AkkaLogForwarder : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    public AkkaLogForwarder()
    {
        var setup = Context.System.Settings.Setup.Get<MemberLogSetup>();
        if (!setup.HasValue)
        {
            throw new InvalidOperationException("the member's actor system was started without its MemberLogSetup");
        }
        var loggers = setup.Value.Loggers;
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(logEvent => Forward(loggers, logEvent));
    }

    private static void Forward(ILoggerFactory loggers, LogEvent logEvent)
    {
        var logger = loggers.CreateLogger(CategoryOf(logEvent));
        var level = LevelOf(logEvent.LogLevel());
        if (!logger.IsEnabled(level))
        {
            return;
        }
        logger.Log(level, default, logEvent.Message?.ToString() ?? string.Empty, logEvent.Cause, static (message, _) => message);
    }

    /// <summary>The logging class; for events Akka logs under a bare name ("remoting (akka://…)"), that name.</summary>
    private static string CategoryOf(LogEvent logEvent)
    {
        if (logEvent.LogClass is { } type && type != typeof(DummyClassForStringSources))
        {
            return type.FullName ?? type.Name;
        }
        var source = logEvent.LogSource ?? "akka";
        var system = source.IndexOf(" (", StringComparison.Ordinal);
        return system > 0 ? source[..system] : source;
    }

    private static Microsoft.Extensions.Logging.LogLevel LevelOf(Akka.Event.LogLevel level) => level switch
    {
        Akka.Event.LogLevel.DebugLevel => Microsoft.Extensions.Logging.LogLevel.Debug,
        Akka.Event.LogLevel.InfoLevel => Microsoft.Extensions.Logging.LogLevel.Information,
        Akka.Event.LogLevel.WarningLevel => Microsoft.Extensions.Logging.LogLevel.Warning,
        _ => Microsoft.Extensions.Logging.LogLevel.Error,
    };
}

/// <summary>The member's logger factory, handed to <see cref="AkkaLogForwarder"/> through the actor system's setup.</summary>
public sealed class MemberLogSetup(ILoggerFactory loggers) : Setup
{
    public ILoggerFactory Loggers { get; } = loggers;
}
