namespace ActorStore.Robustness.Checking;

/// <summary>
/// How much the search may spend before it gives up as inconclusive: model steps tried, wall-clock time, and
/// configurations remembered (its memory).
/// </summary>
public sealed record LinearizabilityBudget(long MaxSteps, TimeSpan MaxTime, int MaxConfigurations)
{
    /// <summary>Ample for a run of a few thousand operations (a valid one needs a small fraction of it).</summary>
    public static LinearizabilityBudget Default { get; } = new(50_000_000, TimeSpan.FromMinutes(2), 3_000_000);
}
