using System.Diagnostics;

namespace ActorStore.Robustness.Checking;

/// <summary>
/// The Wing–Gong search with Lowe's memo. Walk the entries in time order; at a call, try to linearize that operation
/// next (the model accepts its response, the revision bound holds, and the configuration is new), and if so lift it out
/// and start over from the first entry; at a return, the operation it belongs to should have been linearized already,
/// so undo the last choice and try the entry after it. Every required operation linearized means linearizable; nothing
/// left to undo means not. Unknown operations never block (their return is at infinity) and, unless their value was
/// seen, need not be linearized.
/// </summary>
internal sealed class LinearizabilitySearch(IReadOnlyList<SearchOperation> operations, ObservedWrites observed, LinearizabilityBudget budget)
{
    public SearchOutcome Run()
    {
        var stopwatch = Stopwatch.StartNew();
        var entries = new EntryList(operations);
        var bounds = new RevisionBoundTree(operations.Select(op => op.Required ? op.RevisionBefore : long.MaxValue).ToArray());
        var linearized = new LinearizedSet(operations.Count);
        var cache = new ConfigurationCache();
        var stack = new (int Operation, ModelState Before)[operations.Count];
        var depth = 0;
        var state = ModelState.Initial;
        var remainingRequired = operations.Count(op => op.Required);
        var longestPrefix = Array.Empty<int>();
        var stateAfterLongestPrefix = state;
        var steps = 0L;

        SearchOutcome Outcome(LinearizabilityVerdict verdict, string? budgetExhausted = null) =>
            new(verdict, budgetExhausted, steps, cache.Count, stopwatch.Elapsed, longestPrefix, stateAfterLongestPrefix);

        var entry = entries.First;
        while (remainingRequired > 0)
        {
            // A required operation's return entry is still listed, so the walk meets a return before the tail.
            if (entries.IsCall(entry))
            {
                var op = operations[entries.OperationOf(entry)];
                // Cheap refusals first: a required operation needs its exact revision, and any change must stay within the bound.
                if (op.Required ? op.RevisionBefore != state.Revision : state.Revision >= bounds.Minimum)
                {
                    entry = entries.Next(entry);
                    continue;
                }
                // Steps are counted exactly; the clock and the memo's size are looked at now and then.
                if ((++steps >= budget.MaxSteps || steps % 1024 == 0) && Exhausted(steps, stopwatch.Elapsed, cache.Count) is { } reason)
                {
                    return Outcome(LinearizabilityVerdict.Inconclusive, reason);
                }
                var after = KvModel.Apply(state, op.Record, checkResponse: op.Known);
                // An unknown write that would change nothing is the same as one that never happened: not worth a branch.
                if (after is not null && (op.Known || !ReferenceEquals(after, state)) &&
                    (after.Revision == state.Revision || observed.Contradicted(after) is null))
                {
                    linearized.Add(op.Index);
                    if (op.Required)
                    {
                        bounds.Remove(op.Index);
                    }
                    if (after.Revision <= bounds.Minimum && cache.Add(linearized, after))
                    {
                        entries.Lift(op.Index);
                        stack[depth++] = (op.Index, state);
                        state = after;
                        if (op.Required)
                        {
                            remainingRequired--;
                        }
                        if (depth > longestPrefix.Length)
                        {
                            longestPrefix = stack[..depth].Select(step => step.Operation).ToArray();
                            stateAfterLongestPrefix = state;
                        }
                        entry = entries.First;
                        continue;
                    }
                    linearized.Remove(op.Index);
                    if (op.Required)
                    {
                        bounds.Restore(op.Index);
                    }
                }
                entry = entries.Next(entry);
            }
            else
            {
                if (depth == 0)
                {
                    return Outcome(LinearizabilityVerdict.NotLinearizable);
                }
                var (undone, before) = stack[--depth];
                entries.Unlift(undone);
                linearized.Remove(undone);
                if (operations[undone].Required)
                {
                    bounds.Restore(undone);
                    remainingRequired++;
                }
                state = before;
                entry = entries.Next(entries.CallEntryOf(undone));
            }
        }
        return Outcome(LinearizabilityVerdict.Linearizable);
    }

    private string? Exhausted(long steps, TimeSpan elapsed, int configurations) =>
        steps >= budget.MaxSteps ? $"the step budget of {budget.MaxSteps} ran out"
        : elapsed >= budget.MaxTime ? $"the time budget of {budget.MaxTime.TotalSeconds:F0} s ran out"
        : configurations >= budget.MaxConfigurations ? $"the memo reached its limit of {budget.MaxConfigurations} configurations"
        : null;
}
