using ActorStore.Robustness.History;

namespace ActorStore.Robustness.Checking;

/// <summary>Every check of a recorded run, each violation as a readable sentence; none means the run is good.</summary>
public static class RunChecks
{
    public static IReadOnlyList<string> CheckAll(RecordedRun run)
    {
        var violations = new List<string>();
        if (run.Final is null)
        {
            violations.Add("The history has no \"final\" line: the recording was cut short.");
        }
        return violations;
    }
}
