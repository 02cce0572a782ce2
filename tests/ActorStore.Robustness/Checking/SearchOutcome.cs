namespace ActorStore.Robustness.Checking;

/// <summary>
/// What the search ended with: the verdict, what it cost, and the deepest configuration it reached (the operations
/// linearized, in order, and the model state after them) to explain a failure.
/// </summary>
internal sealed record SearchOutcome(
    LinearizabilityVerdict Verdict,
    string? BudgetExhausted,
    long Steps,
    int Configurations,
    TimeSpan Elapsed,
    IReadOnlyList<int> LongestPrefix,
    ModelState StateAfterLongestPrefix);
