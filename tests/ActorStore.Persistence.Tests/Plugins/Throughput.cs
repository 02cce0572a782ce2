namespace ActorStore.Persistence.Tests.Plugins;

using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;

/// <summary>
/// Measures journal throughput (events/s) for the report, outside the test run:
/// <c>dotnet ActorStore.Persistence.Tests.dll measure [sqlite] [postgres] [events]</c>.
/// Scenarios: one writer persisting one event at a time and waiting for each; 16 such writers at once;
/// one writer bursting with PersistAsync (where the journal may batch).
/// </summary>
public static class Throughput
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(string[] args)
    {
        var events = args.Select(a => int.TryParse(a, out var n) ? n : 0).FirstOrDefault(n => n > 0, 2000);
        var targets = args.Where(a => !int.TryParse(a, out _)).DefaultIfEmpty("sqlite").ToArray();
        foreach (var target in targets)
        {
            switch (target)
            {
                case "sqlite":
                    await using (var storage = new SqliteStorage())
                    {
                        await MeasureAsync("sqlite (embedded)", storage.Config, events);
                    }

                    break;
                case "postgres":
                    var server = new PostgresServer();
                    await server.InitializeAsync();
                    try
                    {
                        var storage = new PostgresStorage(await server.CreateDatabaseAsync());
                        await MeasureAsync($"postgresql ({server.Version}, Akka.Persistence.Sql)", storage.Config, events);
                    }
                    finally
                    {
                        await server.DisposeAsync();
                    }

                    break;
                default:
                    await Console.Error.WriteLineAsync($"unknown target {target}");
                    return 2;
            }
        }

        return 0;
    }

    private static async Task MeasureAsync(string name, Config storage, int events)
    {
        var system = ActorSystem.Create("measure", PluginTestConfig.With(storage));
        try
        {
            // Warm-up: plugin start, table creation, JIT.
            await WriteSequentiallyAsync(system.ActorOf(TestWriter.Props("warmup")), "w", 50);

            var watch = Stopwatch.StartNew();
            await WriteSequentiallyAsync(system.ActorOf(TestWriter.Props("single")), "s", events);
            Report(name, "1 writer, one event at a time", events, watch.Elapsed);

            var writers = Enumerable.Range(0, 16).Select(i => system.ActorOf(TestWriter.Props($"many-{i}"))).ToArray();
            var perWriter = Math.Max(1, events / 4);
            watch.Restart();
            await Task.WhenAll(writers.Select(w => WriteSequentiallyAsync(w, "m", perWriter)));
            Report(name, "16 writers, each one event at a time", perWriter * 16, watch.Elapsed);

            var burst = system.ActorOf(TestWriter.Props("burst"));
            watch.Restart();
            var acks = Enumerable.Range(0, events)
                .Select(i => burst.Ask<TestWriter.Appended>(new TestWriter.AppendAsync($"b{i}"), Timeout))
                .ToArray();
            await Task.WhenAll(acks);
            Report(name, "1 writer, PersistAsync burst", events, watch.Elapsed);
        }
        finally
        {
            await system.Terminate();
        }
    }

    private static async Task WriteSequentiallyAsync(IActorRef writer, string prefix, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await writer.Ask<TestWriter.Appended>(new TestWriter.Append($"{prefix}{i}"), Timeout);
        }
    }

    private static void Report(string name, string scenario, int events, TimeSpan elapsed) =>
        Console.WriteLine($"{name}: {scenario}: {events} events in {elapsed.TotalSeconds:F2} s = {events / elapsed.TotalSeconds:F0} events/s");
}
