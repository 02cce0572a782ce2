using ActorStore.Robustness.History;

namespace ActorStore.Robustness.Checking;

/// <summary>
/// Every check of a recorded run: the file's own completeness, linearizability, at-most-once application of writes
/// and each member's watcher. Each violation is a sentence; none means the run is good. A check that finds many gives
/// its first <see cref="MaxViolationsPerCheck"/> and a count of the rest, so one broken thing cannot bury the others.
/// </summary>
public static class RunChecks
{
    public const int MaxViolationsPerCheck = 20;

    public static IReadOnlyList<string> CheckAll(RecordedRun run) => CheckAll(run, LinearizabilityBudget.Default);

    public static IReadOnlyList<string> CheckAll(RecordedRun run, LinearizabilityBudget budget)
    {
        var violations = new List<string>();
        var statesComplete = CheckCompleteness(run, violations);

        var linearizability = new LinearizabilityChecker(budget).Check(run);
        switch (linearizability.Verdict)
        {
            case LinearizabilityVerdict.NotLinearizable:
                violations.Add($"Linearizability: the history is {linearizability.Explanation}");
                break;
            case LinearizabilityVerdict.Inconclusive:
                violations.Add($"Linearizability could not be checked, which is not a pass: the search was {linearizability.Explanation}");
                break;
        }

        violations.AddRange(Limited("at-most-once", AtMostOnceChecker.Check(run).Select(violation => $"At most once: {violation}")));

        if (statesComplete)
        {
            violations.AddRange(Limited("watch", WatchChecks.Check(run).Select(violation =>
                $"Watch, {violation.Guarantee} broken by the {violation.Watcher}: {violation.Detail}.")));
        }
        else
        {
            violations.Add("Watch: not checked, as the states needed for the ground truth are incomplete.");
        }
        return violations;
    }

    private static IEnumerable<string> Limited(string check, IEnumerable<string> violations)
    {
        var all = violations.ToArray();
        return all.Length <= MaxViolationsPerCheck
            ? all
            : all.Take(MaxViolationsPerCheck).Append($"... and {all.Length - MaxViolationsPerCheck} more {check} violations.");
    }

    /// <summary>Reports what the file lacks; true when there is a state for every revision from 1 to the final one.</summary>
    private static bool CheckCompleteness(RecordedRun run, List<string> violations)
    {
        if (run.Final is not { } final)
        {
            violations.Add("The history has no \"final\" line: the recording was cut short.");
            return false;
        }
        if (final.Ops != run.Operations.Count)
        {
            violations.Add($"The final line counts {final.Ops} operations, but the history holds {run.Operations.Count}.");
        }
        var recorded = run.States.Select(state => state.Revision).ToHashSet();
        var missing = Enumerable.Range(1, (int)Math.Max(0, final.Revision)).Where(revision => !recorded.Contains(revision)).ToArray();
        if (missing.Length > 0)
        {
            violations.Add($"The history has no state for {missing.Length} of the revisions 1 to {final.Revision}, e.g. " +
                $"{string.Join(", ", missing.Take(5))}.");
        }
        var duplicated = run.States.GroupBy(state => state.Revision).Where(group => group.Count() > 1).Select(group => group.Key).ToArray();
        if (duplicated.Length > 0)
        {
            violations.Add($"The history has more than one state for revision {string.Join(", ", duplicated.Take(5))}.");
        }
        return missing.Length == 0 && duplicated.Length == 0;
    }
}
