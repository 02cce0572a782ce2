namespace ActorStore.Robustness.Checking;

/// <summary>
/// How much the search may spend before it gives up as inconclusive: model steps tried, wall-clock time, and
/// configurations remembered (its memory).
/// </summary>
public sealed record LinearizabilityBudget(long MaxSteps, TimeSpan MaxTime, int MaxConfigurations)
{
    /// <summary>
    /// Ample for a run of a few thousand operations: a valid one takes thousands of steps and well under a second.
    /// A million configurations take about a gigabyte.
    /// </summary>
    public static LinearizabilityBudget Default { get; } = new(20_000_000, TimeSpan.FromSeconds(60), 1_000_000);
}
