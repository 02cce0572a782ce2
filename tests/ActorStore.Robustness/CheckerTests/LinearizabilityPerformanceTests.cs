using ActorStore.Robustness.Checking;
using ActorStore.Robustness.History;
using Xunit;
using Xunit.Abstractions;

namespace ActorStore.Robustness.CheckerTests;

/// <summary>
/// Runs of the size the suite records (~3000 operations from 8 clients) are decided within the default budget, valid or
/// not. Speed itself is the benchmarks' business; the time is printed for the curious.
/// </summary>
public sealed class LinearizabilityPerformanceTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1, 0.05)]
    [InlineData(2, 0.05)]
    [InlineData(3, 0.05)]
    [InlineData(4, 0.2)]
    public void A_valid_random_history_of_3000_operations_is_found_linearizable(int seed, double unknownWriteShare)
    {
        var run = RandomHistory.Generate(seed, clients: 8, operations: 3000, keys: 8, unknownWriteShare);

        var result = new LinearizabilityChecker().Check(run);

        output.WriteLine($"{run.Operations.Count} ops ({run.Operations.Count(op => !op.Ok)} unknown), final revision {run.Final!.Revision}: {result}");
        Assert.True(result.IsLinearizable, result.Explanation);
    }

    [Fact]
    public void Without_the_recorded_states_to_hint_a_valid_history_of_3000_operations_is_still_found_linearizable()
    {
        var run = RandomHistory.Generate(seed: 1, clients: 8, operations: 3000, keys: 8, unknownWriteShare: 0.05);

        var result = new LinearizabilityChecker().Check(run.Operations, run.StateAt(run.Final!.Revision));

        output.WriteLine(result.ToString());
        Assert.True(result.IsLinearizable, result.Explanation);
    }

    [Fact]
    public void A_lost_write_in_the_middle_of_3000_operations_is_found_not_linearizable()
    {
        var run = RandomHistory.Generate(seed: 1, clients: 8, operations: 3000, keys: 8, unknownWriteShare: 0.05);
        var reads = run.Operations.Where(op => op.Ok && op.Type == OperationType.Get && op.Kvs.Count == 1).ToArray();
        var read = reads[reads.Length / 2];

        // The read comes back empty although the key was there: no response names a revision out of place, so only the search can tell.
        var result = new LinearizabilityChecker().Check(run.Replace(read, read with { Kvs = [] }));

        output.WriteLine(result.ToString());
        Assert.Equal(LinearizabilityVerdict.NotLinearizable, result.Verdict);
        Assert.Contains($"no order could place {read with { Kvs = [] }}", result.Explanation);
    }
}
