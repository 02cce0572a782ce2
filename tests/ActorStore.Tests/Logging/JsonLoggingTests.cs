using System.Text.Json;
using ActorStore.Configuration;
using ActorStore.Logging;
using Microsoft.Extensions.Logging;
using Xunit;

namespace ActorStore.Tests.Logging;

public sealed class JsonLoggingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, 123, TimeSpan.Zero);

    private static string[] Capture(string level, Action<ILoggerFactory> log)
    {
        var output = new StringWriter();
        using (var factory = LoggingSetup.CreateLoggerFactory(level, output, new FixedTimeProvider(Now)))
        {
            log(factory);
        }

        return output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public void A_line_has_etcds_shape_with_placeholders_as_fields()
    {
        var lines = Capture("info", factory => factory.CreateLogger("ActorStore.Raft").LogInformation("became leader {member-id}", "8e9e05c52164694d"));

        var line = Assert.Single(lines);
        Assert.Equal("{\"level\":\"info\",\"ts\":\"2026-11-21T12:00:00.123Z\",\"caller\":\"ActorStore.Raft\",\"msg\":\"became leader\",\"member-id\":\"8e9e05c52164694d\"}", line);
    }

    [Fact]
    public void Field_values_keep_their_json_types()
    {
        var lines = Capture("info", factory => factory.CreateLogger("c").LogInformation(
            "applied {count} {ok} {urls} {took} {target}",
            5, true, new[] { "http://a:1", "http://b:2" }, TimeSpan.FromMilliseconds(1500), new Uri("http://c:3")));

        using var json = JsonDocument.Parse(Assert.Single(lines));
        var root = json.RootElement;
        Assert.Equal("applied", root.GetProperty("msg").GetString());
        Assert.Equal(5, root.GetProperty("count").GetInt32());
        Assert.True(root.GetProperty("ok").GetBoolean());
        Assert.Equal(["http://a:1", "http://b:2"], root.GetProperty("urls").EnumerateArray().Select(static e => e.GetString()));
        Assert.Equal("1.5s", root.GetProperty("took").GetString());
        Assert.Equal("http://c:3", root.GetProperty("target").GetString());
    }

    [Fact]
    public void Placeholders_inside_the_sentence_stay_rendered()
    {
        var lines = Capture("info", factory => factory.CreateLogger("c").LogWarning("slow fdatasync took {took} of {expected}", TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)));

        using var json = JsonDocument.Parse(Assert.Single(lines));
        Assert.Equal("warn", json.RootElement.GetProperty("level").GetString());
        Assert.Equal("slow fdatasync took 00:00:02 of 00:00:01", json.RootElement.GetProperty("msg").GetString());
        Assert.Equal("2s", json.RootElement.GetProperty("took").GetString());
    }

    [Fact]
    public void Exceptions_become_error_and_stacktrace()
    {
        var lines = Capture("info", factory => factory.CreateLogger("c").LogError(new InvalidOperationException("disk full"), "failed to apply"));

        using var json = JsonDocument.Parse(Assert.Single(lines));
        Assert.Equal("error", json.RootElement.GetProperty("level").GetString());
        Assert.Equal("failed to apply", json.RootElement.GetProperty("msg").GetString());
        Assert.Equal("disk full", json.RootElement.GetProperty("error").GetString());
        Assert.Contains("InvalidOperationException", json.RootElement.GetProperty("stacktrace").GetString());
    }

    [Fact]
    public void Text_is_escaped_as_json()
    {
        var lines = Capture("info", factory => factory.CreateLogger("c").LogInformation("key {key}", "a\"b\nc"));

        using var json = JsonDocument.Parse(Assert.Single(lines));
        Assert.Equal("a\"b\nc", json.RootElement.GetProperty("key").GetString());
    }

    [Theory]
    [InlineData("debug", new[] { "debug", "info", "warn", "error", "fatal" })]
    [InlineData("info", new[] { "info", "warn", "error", "fatal" })]
    [InlineData("warn", new[] { "warn", "error", "fatal" })]
    [InlineData("error", new[] { "error", "fatal" })]
    [InlineData("panic", new[] { "fatal" })]
    [InlineData("fatal", new[] { "fatal" })]
    public void Log_level_filters_lower_levels(string level, string[] expected)
    {
        var lines = Capture(level, factory =>
        {
            var logger = factory.CreateLogger("c");
            logger.LogDebug("d");
            logger.LogInformation("i");
            logger.LogWarning("w");
            logger.LogError("e");
            logger.LogCritical("f");
        });

        Assert.Equal(expected, lines.Select(static line => JsonDocument.Parse(line).RootElement.GetProperty("level").GetString()));
    }

    [Fact]
    public void Framework_categories_log_warnings_only()
    {
        var lines = Capture("debug", factory =>
        {
            factory.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").LogInformation("Request starting");
            factory.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").LogWarning("slow");
        });

        var line = Assert.Single(lines);
        Assert.Contains("\"msg\":\"slow\"", line);
    }

    [Fact]
    public void Kestrel_logs_errors_only_since_its_h2c_warning_is_wrong_here()
    {
        var lines = Capture("debug", factory =>
        {
            var kestrel = factory.CreateLogger("Microsoft.AspNetCore.Server.Kestrel");
            kestrel.LogWarning("HTTP/2 is not enabled");
            kestrel.LogError("bind failed");
        });

        var line = Assert.Single(lines);
        Assert.Contains("\"msg\":\"bind failed\"", line);
    }

    [Fact]
    public void Unknown_level_words_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => LoggingSetup.CreateLoggerFactory("loud", TextWriter.Null));
        Assert.Equal(LogLevel.Warning, LoggingSetup.ParseLevel("warn"));
    }

    [Fact]
    public void Config_notices_log_their_fields()
    {
        var notice = new ConfigNotice(LogLevel.Warning, "'data-dir' was empty; using default", [new("data-dir", "n1.etcd")]);

        var lines = Capture("info", factory => notice.WriteTo(factory.CreateLogger("etcdmain")));

        Assert.Equal("{\"level\":\"warn\",\"ts\":\"2026-11-21T12:00:00.123Z\",\"caller\":\"etcdmain\",\"msg\":\"'data-dir' was empty; using default\",\"data-dir\":\"n1.etcd\"}", Assert.Single(lines));
    }

    [Fact]
    public void Many_threads_write_whole_lines()
    {
        var lines = Capture("info", factory =>
        {
            var logger = factory.CreateLogger("c");
            Parallel.For(0, 200, i => logger.LogInformation("entry {index}", i));
        });

        Assert.Equal(200, lines.Length);
        Assert.Equal(Enumerable.Range(0, 200), lines.Select(static l => JsonDocument.Parse(l).RootElement.GetProperty("index").GetInt32()).Order());
    }
}
