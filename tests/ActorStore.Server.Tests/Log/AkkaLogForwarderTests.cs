using System.Collections.Concurrent;
using ActorStore.Server.Log;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Event;
using Microsoft.Extensions.Logging;
using Xunit;

namespace ActorStore.Server.Tests.Log;

public sealed class AkkaLogForwarderTests
{
    [Fact]
    public async Task Akka_log_events_become_member_log_lines_with_the_message_alone_named_after_their_source()
    {
        var lines = new ConcurrentQueue<(string Category, Microsoft.Extensions.Logging.LogLevel Level, string Message)>();
        using var loggers = new CapturingLoggers(lines);
        var config = ConfigurationFactory.ParseString("""
            akka.loglevel = INFO
            akka.stdout-loglevel = OFF
            akka.loggers = ["ActorStore.Server.Log.AkkaLogForwarder, ActorStore.Server"]
            """);
        var system = ActorSystem.Create("forwarder", BootstrapSetup.Create().WithConfig(config).And(new MemberLogSetup(loggers)));
        try
        {
            Logging.GetLogger(system, typeof(AkkaLogForwarderTests)).Warning("peer {0} is slow", "m2");
            system.Log.Info("plain words");

            for (var i = 0; i < 200 && lines.Count(l => l.Message is "peer m2 is slow" or "plain words") < 2; i++)
            {
                await Task.Delay(10);
            }
        }
        finally
        {
            await system.Terminate();
        }

        Assert.Contains((typeof(AkkaLogForwarderTests).FullName!, Microsoft.Extensions.Logging.LogLevel.Warning, "peer m2 is slow"), lines);
        Assert.Contains(lines, l => l.Level == Microsoft.Extensions.Logging.LogLevel.Information && l.Message == "plain words" && !l.Category.Contains('('));
        Assert.DoesNotContain(lines, l => l.Message.StartsWith('['));
    }

    private sealed class CapturingLoggers(ConcurrentQueue<(string, Microsoft.Extensions.Logging.LogLevel, string)> lines) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => new Capturing(categoryName, lines);

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }

        private sealed class Capturing(string category, ConcurrentQueue<(string, Microsoft.Extensions.Logging.LogLevel, string)> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

            public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue((category, logLevel, formatter(state, exception)));
        }
    }
}
