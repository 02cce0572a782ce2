using System.Text;
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

    /// <summary>Checks the run's operations, with its state at the final revision as the final observation when recorded.</summary>
    public LinearizabilityResult Check(RecordedRun run) =>
        Check(run.Operations, run.Final is { } final ? run.StateAt(final.Revision) : null);

    public LinearizabilityResult Check(IReadOnlyList<OperationRecord> operations, StateRecord? finalState = null)
    {
        var searched = ToSearch(operations, finalState);
        var outcome = new LinearizabilitySearch(searched, budget).Run();
        var explanation = outcome.Verdict switch
        {
            LinearizabilityVerdict.Linearizable =>
                $"linearizable: all {searched.Count(op => op.Known)} operations with a known outcome fit one order " +
                $"({searched.Count(op => !op.Known)} with an unknown outcome).",
            LinearizabilityVerdict.NotLinearizable => ExplainFailure(searched, outcome),
            _ => ExplainInconclusive(searched, outcome),
        };
        return new LinearizabilityResult(outcome.Verdict, explanation, outcome.Steps, outcome.Configurations, outcome.Elapsed);
    }

    private static List<SearchOperation> ToSearch(IReadOnlyList<OperationRecord> operations, StateRecord? finalState)
    {
        var searched = new List<SearchOperation>();
        foreach (var op in operations.Where(op => op.Ok || op.IsWrite))
        {
            // Go's monotonic clock gives return >= call; clamped anyway so a bad line cannot reorder the op's own entries.
            var known = op.Ok;
            searched.Add(new SearchOperation(searched.Count, op, known, op.Call,
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
            searched.Add(new SearchOperation(searched.Count, read, Known: true, after, long.MaxValue, finalState.Revision, IsFinalObservation: true));
        }
        return searched;
    }

    private static string ExplainFailure(IReadOnlyList<SearchOperation> searched, SearchOutcome outcome)
    {
        var text = new StringBuilder();
        text.Append($"not linearizable: no order of the {searched.Count(op => op.Known)} operations with a known outcome ")
            .Append($"(and {searched.Count(op => !op.Known)} writes with an unknown one) fits etcd's semantics. ");
        AppendLongestPrefix(text, searched, outcome);
        var placed = outcome.LongestPrefix.ToHashSet();
        // The first known operation to return without a place is where every order the search tried got stuck.
        var stuck = searched.Where(op => op.Known && !placed.Contains(op.Index)).MinBy(op => (op.Return, op.Call))!;
        text.Append($" After it, no order could place {stuck}")
            .Append($"; there the store would have answered: {KvModel.Answer(outcome.StateAfterLongestPrefix, stuck.Record)}.");
        return text.ToString();
    }

    private static string ExplainInconclusive(IReadOnlyList<SearchOperation> searched, SearchOutcome outcome)
    {
        var text = new StringBuilder();
        text.Append($"inconclusive: {outcome.BudgetExhausted} after {outcome.Steps} steps and {outcome.Elapsed.TotalSeconds:F1} s ")
            .Append($"({outcome.Configurations} configurations remembered) before an order of all {searched.Count(op => op.Known)} ")
            .Append("operations with a known outcome was found or ruled out. ");
        AppendLongestPrefix(text, searched, outcome);
        return text.ToString();
    }

    private static void AppendLongestPrefix(StringBuilder text, IReadOnlyList<SearchOperation> searched, SearchOutcome outcome)
    {
        var prefix = outcome.LongestPrefix.Select(index => searched[index]).ToArray();
        if (prefix.Length == 0)
        {
            text.Append("No operation could be linearized first (the store starts at revision 1, empty).");
            return;
        }
        text.Append($"The longest linearizable prefix found places {prefix.Count(op => op.Known)} of them")
            .Append($" and {prefix.Count(op => !op.Known)} unknown writes, up to store revision {outcome.StateAfterLongestPrefix.Revision}; it ends with: ")
            .AppendJoin("; then ", prefix.TakeLast(3).Select(op => $"{(op.Known ? "" : "(unknown outcome, applied) ")}{op}"))
            .Append('.');
    }
}
