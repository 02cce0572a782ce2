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
        var (searched, observed) = ToSearch(operations, finalState);
        var outcome = new LinearizabilitySearch(searched, observed, budget).Run();
        var explanation = outcome.Verdict switch
        {
            LinearizabilityVerdict.Linearizable =>
                $"linearizable: all {KnownCount(searched)} operations with a known outcome fit one order " +
                $"({searched.Count(op => !op.Known)} with an unknown outcome).",
            LinearizabilityVerdict.NotLinearizable => ExplainFailure(searched, observed, outcome),
            _ => ExplainInconclusive(searched, outcome),
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

    private static string ExplainFailure(IReadOnlyList<SearchOperation> searched, ObservedWrites observed, SearchOutcome outcome)
    {
        var text = new StringBuilder();
        text.Append($"not linearizable: no order of the {KnownCount(searched)} operations with a known outcome ")
            .Append($"(and {searched.Count(op => !op.Known)} writes with an unknown one) fits etcd's semantics. ");
        AppendLongestPrefix(text, searched, outcome);
        var placed = outcome.LongestPrefix.ToHashSet();
        // The first known operation to return without a place is where every order the search tried got stuck.
        var stuck = searched.Where(op => op.Required && !placed.Contains(op.Index)).MinBy(op => (op.Return, op.Call))!;
        var state = outcome.StateAfterLongestPrefix;
        text.Append($" After it, no order could place {stuck}")
            .Append($"; there the store would have answered: {KvModel.Answer(state, stuck.Record)}");
        // When its response fits, what stopped it was the revision it leads to.
        if (KvModel.Apply(state, stuck.Record, stuck.Known) is { } after && after.Revision > state.Revision)
        {
            var overtaken = searched.Where(op => op.Required && op != stuck && !placed.Contains(op.Index) && op.RevisionBefore < after.Revision)
                .MinBy(op => (op.RevisionBefore, op.Return));
            if (observed.Contradicted(after) is { } seen)
            {
                text.Append($", which fits, but then revision {after.Revision} holds {after.Get(seen.Kv.Key)?.ToString() ?? $"no {seen.Kv.Key}"}")
                    .Append($" where {seen.Observer} saw {seen.Kv}");
            }
            else if (overtaken is not null)
            {
                text.Append($", which fits, but takes the store to revision {after.Revision}, past revision {overtaken.RevisionBefore} ")
                    .Append($"that {overtaken} needs, and which could not be placed before it");
            }
        }
        return text.Append('.').ToString();
    }

    private static string ExplainInconclusive(IReadOnlyList<SearchOperation> searched, SearchOutcome outcome)
    {
        var text = new StringBuilder();
        text.Append($"inconclusive: {outcome.BudgetExhausted} after {outcome.Steps} steps and {outcome.Elapsed.TotalSeconds:F1} s ")
            .Append($"({outcome.Configurations} configurations remembered) before an order of all {KnownCount(searched)} ")
            .Append("operations with a known outcome was found or ruled out. ");
        AppendLongestPrefix(text, searched, outcome);
        return text.ToString();
    }

    private static int KnownCount(IEnumerable<SearchOperation> operations) => operations.Count(op => op.Known && !op.IsFinalObservation);

    private static void AppendLongestPrefix(StringBuilder text, IReadOnlyList<SearchOperation> searched, SearchOutcome outcome)
    {
        var prefix = outcome.LongestPrefix.Select(index => searched[index]).ToArray();
        if (prefix.Length == 0)
        {
            text.Append("No operation could be linearized first (the store starts at revision 1, empty).");
            return;
        }
        text.Append($"The longest linearizable prefix found places {KnownCount(prefix)} of them")
            .Append($" and {prefix.Count(op => !op.Known)} unknown writes, up to store revision {outcome.StateAfterLongestPrefix.Revision}; it ends with: ")
            .AppendJoin("; then ", prefix.TakeLast(3).Select(op => $"{(op.Known ? "" : "(unknown outcome, applied) ")}{op}"))
            .Append('.');
    }
}
