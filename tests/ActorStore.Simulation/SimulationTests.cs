using System.Diagnostics;
using Xunit.Abstractions;

namespace ActorStore.Simulation;

/// <summary>
/// Deterministic randomized schedules of whole groups. A failure names its seed and options;
/// replay it with <see cref="ClusterSimulation"/> (trace: true) to see the events leading up to it.
/// </summary>
public sealed class SimulationTests(ITestOutputHelper output)
{
    private void RunSeeds(string name, SimulationOptions options, int firstSeed, int count)
    {
        var total = new SimulationStats { Schedules = 0 };
        var clock = Stopwatch.StartNew();
        for (int seed = firstSeed; seed < firstSeed + count; seed++)
        {
            try
            {
                total.Add(new ClusterSimulation(seed, options).Run());
            }
            catch (SimulationFailure failure)
            {
                var replay = new ClusterSimulation(seed, options, trace: true);
                try
                {
                    replay.Run();
                }
                catch (SimulationFailure)
                {
                }

                output.WriteLine($"Last events of seed {seed}:");
                foreach (string line in replay.Trace.TakeLast(60))
                {
                    output.WriteLine(line);
                }

                Assert.Fail(failure.Message);
            }
        }

        output.WriteLine($"{name}: {total} in {clock.ElapsedMilliseconds} ms");
        Assert.Equal(count, total.Schedules);
        Assert.True(total.Leaders >= count, "every schedule elects at least one leader");
        Assert.True(total.Committed > count, "schedules commit entries");
    }

    [Fact]
    public void ThreeMembersWithPreVoteAndCheckQuorum() =>
        RunSeeds(nameof(ThreeMembersWithPreVoteAndCheckQuorum), new SimulationOptions { Nodes = 3 }, firstSeed: 1, count: 150);

    [Fact]
    public void FiveMembersWithPreVoteAndCheckQuorum() =>
        RunSeeds(nameof(FiveMembersWithPreVoteAndCheckQuorum), new SimulationOptions { Nodes = 5 }, firstSeed: 1001, count: 100);

    [Fact]
    public void FourMembersWithoutPreVoteOrCheckQuorum() =>
        RunSeeds(
            nameof(FourMembersWithoutPreVoteOrCheckQuorum),
            new SimulationOptions { Nodes = 4, PreVote = false, CheckQuorum = false },
            firstSeed: 2001,
            count: 100);

    /// <summary>Many crashes right after a Ready's early messages left and quick restarts: catches writes that should have been durable.</summary>
    [Fact]
    public void CrashesBeforeWritesAreDurable() =>
        RunSeeds(
            nameof(CrashesBeforeWritesAreDurable),
            new SimulationOptions { Nodes = 3, PreVote = false, CheckQuorum = false, CrashBeforePersistProbability = 0.05 },
            firstSeed: 5001,
            count: 150);

    [Fact]
    public void HeavyFaultsOnThreeAndFiveMembers()
    {
        var heavy = new SimulationOptions
        {
            DropProbability = 0.2,
            DuplicateProbability = 0.1,
            MaxDelayTicks = 5,
            CrashProbability = 0.004,
            PartitionProbability = 0.005,
            MaxInflightMsgs = 2,
            MaxSizePerMsg = 64,
        };
        RunSeeds("HeavyFaults3", heavy with { Nodes = 3 }, firstSeed: 3001, count: 50);
        RunSeeds("HeavyFaults5", heavy with { Nodes = 5, PreVote = false }, firstSeed: 4001, count: 50);
    }

    [Fact]
    public void SameSeedReplaysTheSameSchedule()
    {
        var options = new SimulationOptions { Nodes = 3, Steps = 1500 };
        var first = new ClusterSimulation(42, options, trace: true);
        var second = new ClusterSimulation(42, options, trace: true);
        first.Run();
        second.Run();

        Assert.NotEmpty(first.Trace);
        Assert.Equal(first.Trace, second.Trace);
        Assert.Equal(first.Stats.ToString(), second.Stats.ToString());
    }
}
