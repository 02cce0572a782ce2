using ActorStore.Robustness.Checking;
using Xunit;
using Xunit.Abstractions;

namespace ActorStore.Robustness.CheckerTests;

/// <summary>
/// A run of the size the suite records (~3000 operations from 8 clients, ~5% writes with an unknown outcome) is decided
/// within the default budget. Speed itself is the benchmarks' business; the time is printed for the curious.
/// </summary>
public sealed class LinearizabilityPerformanceTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_valid_random_history_of_3000_operations_is_found_linearizable(int seed)
    {
        var run = RandomHistory.Generate(seed, clients: 8, operations: 3000, keys: 8, unknownWriteShare: 0.05);

        var result = new LinearizabilityChecker().Check(run);

        output.WriteLine($"{run.Operations.Count} ops ({run.Operations.Count(op => !op.Ok)} unknown), final revision {run.Final!.Revision}: {result}");
        Assert.True(result.IsLinearizable, result.Explanation);
    }
}
