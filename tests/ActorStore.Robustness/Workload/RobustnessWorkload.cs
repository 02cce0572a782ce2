using System.Globalization;
using ActorStore.EndToEnd.GoClient;
using ActorStore.EndToEnd.Infrastructure;

namespace ActorStore.Robustness.Workload;

/// <summary>
/// tests/go/robustness-workload: clientv3 clients (some pinned to one member) under a per-call deadline shorter than
/// the server's request timeout, a watcher per member, and at the end the history file the checkers read.
/// </summary>
public static class RobustnessWorkload
{
    /// <summary>How long the clients run; a fault starts about 3 s in and is healed before this ends.</summary>
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(12);

    /// <summary>Per-call deadline: well under the server's 7 s request timeout, so deadlines pass during faults.</summary>
    public static readonly TimeSpan OperationTimeout = TimeSpan.FromMilliseconds(1500);

    /// <summary>Pause after the clients stop, so a write applied late (after its client gave up) is in the recorded states.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    /// <summary>The workload exits by itself after this, whatever happens (final read, watchers, states included).</summary>
    public static readonly TimeSpan HardLimit = Duration + Settle + TimeSpan.FromSeconds(75);

    // The unpinned clients are the ones clientv3 sends a retried write to another member for.
    public const int Clients = 10;
    public const int PinnedClients = 3;

    /// <summary>About 150 calls a second over all clients: 1500-2000 operations keep the linearizability search cheap.</summary>
    public const int OperationsPerSecond = 150;

    /// <summary>Starts the workload against <paramref name="memberEndpoints"/> (name=url,...), writing <paramref name="historyPath"/>.</summary>
    public static async Task<ServerProcess> StartAsync(string memberEndpoints, string historyPath, int seed)
    {
        var program = await GoProgram.BuildAsync(GoProgram.RobustnessWorkload);
        return ServerProcess.Start(program,
        [
            "-members", memberEndpoints,
            "-out", historyPath,
            "-clients", Clients.ToString(CultureInfo.InvariantCulture),
            "-pinned", PinnedClients.ToString(CultureInfo.InvariantCulture),
            "-duration", GoDuration(Duration),
            "-op-timeout", GoDuration(OperationTimeout),
            "-settle", GoDuration(Settle),
            "-rate", OperationsPerSecond.ToString(CultureInfo.InvariantCulture),
            "-seed", seed.ToString(CultureInfo.InvariantCulture),
            "-hard-limit", GoDuration(HardLimit),
        ]);
    }

    private static string GoDuration(TimeSpan span) => ((long)span.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";
}
