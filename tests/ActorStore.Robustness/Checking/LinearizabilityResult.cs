namespace ActorStore.Robustness.Checking;

/// <summary>The verdict, with an explanation worded for a person when it is not <see cref="LinearizabilityVerdict.Linearizable"/>.</summary>
public sealed record LinearizabilityResult(LinearizabilityVerdict Verdict, string Explanation, long Steps, int Configurations, TimeSpan Elapsed)
{
    public bool IsLinearizable => Verdict == LinearizabilityVerdict.Linearizable;

    public override string ToString() => $"{Verdict} after {Steps} steps, {Configurations} configurations, {Elapsed.TotalMilliseconds:F0} ms: {Explanation}";
}
