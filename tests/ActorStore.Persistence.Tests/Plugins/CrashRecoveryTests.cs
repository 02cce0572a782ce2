namespace ActorStore.Persistence.Tests.Plugins;

using System.Diagnostics;
using Akka.Actor;
using Xunit;
using Xunit.Abstractions;

/// <summary>
/// A writer in a child process persists events and reports each acknowledgement, is killed with SIGKILL, and a
/// fresh ActorSystem must replay every acknowledged event (and nothing out of order). Twice, so the second run
/// also recovers from a log that was itself written after a kill.
/// </summary>
public abstract class CrashRecoveryTests(ITestOutputHelper output) : PluginTestBase(output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Every_acknowledged_event_survives_kill_9_of_the_writer_process()
    {
        var storage = await NewStorageAsync();
        var pid = "crash-" + Guid.NewGuid().ToString("N")[..12];

        var firstAcked = await RunAndKillAsync(storage, pid, afterAcks: 150, expectRecovered: 0);
        var secondAcked = await RunAndKillAsync(storage, pid, afterAcks: 150, expectRecovered: firstAcked);

        var system = StartSystem(storage);
        var recovered = await system.ActorOf(TestWriter.Props(pid)).Ask<TestWriter.Events>(new TestWriter.GetEvents(), Timeout);
        Output.WriteLine($"acknowledged {firstAcked}, then {secondAcked}; recovered {recovered.Values.Length}");

        Assert.True(recovered.Values.Length >= secondAcked, $"recovered {recovered.Values.Length} < acknowledged {secondAcked}");
        Assert.Equal(Enumerable.Range(1, recovered.Values.Length).Select(n => $"e{n}"), recovered.Values);
        Assert.Equal(recovered.Values.Length, recovered.LastSequenceNr);
    }

    /// <summary>Starts the writer, kills it once it acknowledged <paramref name="afterAcks"/> more events.</summary>
    /// <returns>The highest acknowledged sequence number.</returns>
    private async Task<long> RunAndKillAsync(PluginStorage storage, string pid, int afterAcks, long expectRecovered)
    {
        var (plugin, location) = storage.ProcessArguments;
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[typeof(Program).Assembly.Location, "crash-writer", plugin, location, pid])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start the writer");
        var stderr = process.StandardError.ReadToEndAsync();
        long acked = -1;
        long recoveredAt = -1;
        var acks = 0;
        using var deadline = new CancellationTokenSource(Timeout);
        try
        {
            while (acks < afterAcks)
            {
                var line = await process.StandardOutput.ReadLineAsync(deadline.Token)
                    ?? throw new InvalidOperationException($"the writer exited early: {await stderr}");
                var fields = line.Split(' ');
                if (fields[0] == "RECOVERED")
                {
                    recoveredAt = long.Parse(fields[1]);
                }
                else if (fields[0] == "ACK")
                {
                    var sequenceNr = long.Parse(fields[1]);
                    Assert.Equal($"e{sequenceNr}", fields[2]);
                    Assert.True(sequenceNr > acked, $"acknowledgement {sequenceNr} after {acked}");
                    acked = sequenceNr;
                    acks++;
                }
            }
        }
        finally
        {
            // Process.Kill is SIGKILL on Unix: no shutdown hooks, no checkpoint, no flush.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        Assert.True(recoveredAt >= expectRecovered, $"the writer recovered {recoveredAt}, but {expectRecovered} were acknowledged");
        return acked;
    }

    private static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }
}
