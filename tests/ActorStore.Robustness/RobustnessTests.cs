using System.Diagnostics;
using System.Text;
using ActorStore.EndToEnd.Infrastructure;
using ActorStore.Robustness.Checking;
using ActorStore.Robustness.Cluster;
using ActorStore.Robustness.History;
using ActorStore.Robustness.Workload;
using Xunit;
using Xunit.Abstractions;

namespace ActorStore.Robustness;

/// <summary>
/// The Go workload runs against a three-member cluster while one fault hits it; the history it records must pass
/// every check. The same runs against real etcd 3.4.23 check the suite itself: a check that fails on etcd is wrong.
/// </summary>
[Collection(RobustnessCollection.Name)]
public sealed class RobustnessTests
{
    private static readonly TimeSpan InjectAfter = TimeSpan.FromSeconds(3);

    // The workload ends by itself within its hard limit; this only guards against a workload that cannot.
    private static readonly TimeSpan WorkloadBound = RobustnessWorkload.HardLimit + TimeSpan.FromSeconds(15);

    private const int ViolationsShown = 10;

    private readonly ITestOutputHelper _output;

    public RobustnessTests(ITestOutputHelper output)
    {
        _output = output;
    }

    public static TheoryData<MemberKind, Fault> Runs()
    {
        var runs = new TheoryData<MemberKind, Fault>();
        foreach (var kind in new[] { MemberKind.Etcd, MemberKind.ActorStore })
        {
            foreach (var fault in Enum.GetValues<Fault>())
            {
                runs.Add(kind, fault);
            }
        }
        return runs;
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public async Task A_history_recorded_under_a_fault_passes_every_check(MemberKind kind, Fault fault)
    {
        var seed = Random.Shared.Next();
        var total = Stopwatch.StartNew();
        using var dir = new TempDir();
        var historyPath = Path.Combine(dir.Path, "history.jsonl");
        await using var cluster = await IsolatedCluster.StartAsync(kind);
        var clusterStarted = total.Elapsed;

        await using var workload = await RobustnessWorkload.StartAsync(cluster.MemberEndpoints, historyPath, seed);
        var clock = Stopwatch.StartNew();
        var injector = new FaultInjector(cluster, new Random(seed), clock);
        string? faultFailure = null;
        try
        {
            await Task.Delay(InjectAfter);
            await injector.InjectAsync(fault);
        }
        catch (Exception e)
        {
            faultFailure = $"the fault could not be injected or healed: {e.GetType().Name}: {e.Message}";
        }
        var exited = await WaitForExitAsync(workload);
        var workloadTime = clock.Elapsed;
        var context = $"{kind} under {fault} (seed {seed})";
        if (!exited || workload.ExitCode != 0)
        {
            var how = exited ? $"exited with {workload.ExitCode}" : $"still ran after {WorkloadBound}";
            Assert.Fail($"{context}: the workload {how}\n{faultFailure}\n{Timeline(injector)}--- workload output\n{Tail(workload.Output, 40)}\n{cluster.Logs()}");
        }

        var checking = Stopwatch.StartNew();
        var run = RecordedRun.Load(historyPath);
        var violations = RunChecks.CheckAll(run);
        var summary = $"{context}: {Counts(run)}; cluster start {Seconds(clusterStarted)}, workload {Seconds(workloadTime)}, " +
            $"checks {Seconds(checking.Elapsed)}, whole run {Seconds(total.Elapsed)}";
        _output.WriteLine(summary);
        _output.WriteLine(Timeline(injector));
        Assert.True(violations.Count == 0 && faultFailure is null,
            $"{summary}\n{faultFailure}\n{Timeline(injector)}{Violations(violations)}--- workload output\n{Tail(workload.Output, 10)}\n{cluster.Logs()}");
    }

    private static async Task<bool> WaitForExitAsync(ServerProcess workload)
    {
        try
        {
            await workload.WaitForExitAsync(WorkloadBound);
            return true;
        }
        catch (OperationCanceledException)
        {
            await workload.KillHardAsync();
            return false;
        }
    }

    /// <summary>Operations by type, with how many failed (a failed write's outcome is unknown).</summary>
    private static string Counts(RecordedRun run)
    {
        var byType = run.Operations
            .GroupBy(operation => operation.Type)
            .OrderBy(group => group.Key)
            .Select(group => $"{group.Key.ToString().ToLowerInvariant()} {group.Count()}/{group.Count(operation => !operation.Ok)}");
        return $"{run.Operations.Count} ops, {run.Operations.Count(operation => !operation.Ok)} failed " +
            $"(type total/failed: {string.Join(", ", byType)}), final revision {run.Final?.Revision}";
    }

    private static string Violations(IReadOnlyList<string> violations)
    {
        if (violations.Count == 0)
        {
            return "";
        }
        var text = new StringBuilder($"--- {violations.Count} violations (the first {Math.Min(ViolationsShown, violations.Count)})\n");
        foreach (var violation in violations.Take(ViolationsShown))
        {
            text.AppendLine(violation);
        }
        return text.ToString();
    }

    private static string Timeline(FaultInjector injector) => "--- fault timeline\n" + string.Join('\n', injector.Timeline) + "\n";

    private static string Tail(string output, int lines) =>
        string.Join('\n', output.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(lines));

    private static string Seconds(TimeSpan span) => $"{span.TotalSeconds:0.0}s";
}
