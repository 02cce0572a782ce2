using ActorStore.Robustness.History;

namespace ActorStore.Robustness.Checking;

/// <summary>
/// Decides whether a history of KV operations is linearizable against etcd's sequential semantics (<see cref="KvModel"/>),
/// searching the whole history at once: txns touch two keys and revisions are global, so it cannot be split per key.
/// Failed reads are dropped; failed writes have an unknown outcome. An optional final observation (the keyspace at the
/// run's final revision) counts as a read of everything after every known operation: it pins the final state, and an
/// unknown write left for after it never happened as far as the run could tell.
/// </summary>
public sealed class LinearizabilityChecker(LinearizabilityBudget budget)
{
    public LinearizabilityChecker() : this(LinearizabilityBudget.Default)
    {
    }

    /// <summary>
    /// Checks the run's operations, with its state at the final revision as the final observation when recorded, and
    /// its states as hints to the search.
    /// </summary>
    public LinearizabilityResult Check(RecordedRun run) =>
        Check(run.Operations, run.Final is { } final ? run.StateAt(final.Revision) : null, run.States);

    /// <param name="operations">The history.</param>
    /// <param name="finalState">The keyspace at the end, read after every operation with a known outcome.</param>
    /// <param name="recordedStates">
    /// The store's own record of every revision, used only to choose which unknown write to try first for a revision
    /// (the one whose value or delete it shows there): it makes a valid history quick to order and never changes a verdict.
    /// </param>
    public LinearizabilityResult Check(
        IReadOnlyList<OperationRecord> operations, StateRecord? finalState = null, IReadOnlyList<StateRecord>? recordedStates = null)
    {
        var (searched, observed) = ToSearch(operations, finalState);
        if (NecessaryConditions.FirstViolation(searched) is { } violation)
        {
            return new LinearizabilityResult(LinearizabilityVerdict.NotLinearizable, $"not linearizable: {violation}", 0, 0, TimeSpan.Zero);
        }
        var states = recordedStates ?? [];
        var outcome = new LinearizabilitySearch(searched, observed, SearchHints.FromStates(searched, states), budget).Run();
        var explain = new SearchExplanation(searched, observed, states);
        var explanation = outcome.Verdict switch
        {
            LinearizabilityVerdict.Linearizable => explain.Linearizable(),
            LinearizabilityVerdict.NotLinearizable => explain.NotLinearizable(outcome),
            _ => explain.Inconclusive(outcome),
        };
        return new LinearizabilityResult(outcome.Verdict, explanation, outcome.Steps, outcome.Configurations, outcome.Elapsed);
    }

    private static (IReadOnlyList<SearchOperation> Searched, ObservedWrites Observed) ToSearch(
        IReadOnlyList<OperationRecord> operations, StateRecord? finalState)
    {
        var searched = new List<SearchOperation>();
        foreach (var op in operations.Where(op => op.Ok || op.IsWrite))
        {
            // Go's monotonic clock gives return >= call; clamped anyway so a bad line cannot reorder the op's own entries.
            var known = op.Ok;
            searched.Add(new SearchOperation(searched.Count, op, known, Required: known, op.Call,
                known ? Math.Max(op.Call, op.Return) : long.MaxValue,
                known ? KvModel.RevisionBefore(op) : long.MaxValue,
                IsFinalObservation: false));
        }
        if (finalState is not null)
        {
            var after = searched.Where(op => op.Known).Select(op => op.Return).DefaultIfEmpty(0).Max() + 1;
            var read = new OperationRecord
            {
                Client = -1, Id = -1, Type = OperationType.Range, Key = RecordedRun.KeyPrefix, Call = after, Return = after,
                Ok = true, Revision = finalState.Revision, Kvs = finalState.Kvs,
            };
            searched.Add(new SearchOperation(searched.Count, read, Known: true, Required: true, after, long.MaxValue, finalState.Revision,
                IsFinalObservation: true));
        }

        // An unknown write whose value (sent by no other request) was seen must have happened, at the revision it was seen at.
        var observed = new ObservedWrites(searched);
        var writers = operations.Where(op => op.IsWrite && op.Type != OperationType.Delete).CountBy(op => op.Value).ToDictionary();
        for (var i = 0; i < searched.Count; i++)
        {
            var op = searched[i];
            if (!op.Known && op.Record.Type != OperationType.Delete && writers[op.Record.Value] == 1 &&
                observed.RevisionsOf(op.Record.Value) is { Count: 1 } revisions)
            {
                searched[i] = op with { Required = true, RevisionBefore = revisions.Single() - 1 };
            }
        }
        return (searched, observed);
    }
}
