using System.Text;
using ActorStore.Robustness.History;

namespace ActorStore.Robustness.Checking;

/// <summary>Words a search outcome for a person: where the search got to, and what it could not get past.</summary>
internal sealed class SearchExplanation(IReadOnlyList<SearchOperation> searched, ObservedWrites observed, IReadOnlyList<StateRecord> recordedStates)
{
    public string Linearizable() =>
        $"linearizable: all {KnownCount(searched)} operations with a known outcome fit one order " +
        $"({searched.Count(op => !op.Known)} with an unknown outcome).";

    public string NotLinearizable(SearchOutcome outcome)
    {
        var text = new StringBuilder();
        text.Append($"not linearizable: no order of the {KnownCount(searched)} operations with a known outcome ")
            .Append($"(and {searched.Count(op => !op.Known)} writes with an unknown one) fits etcd's semantics. ");
        AppendLongestPrefix(text, outcome);
        AppendStuck(text, outcome, "no order could place");
        return text.ToString();
    }

    public string Inconclusive(SearchOutcome outcome)
    {
        var text = new StringBuilder();
        text.Append($"inconclusive: {outcome.BudgetExhausted} after {outcome.Steps} steps and {outcome.Elapsed.TotalSeconds:F1} s ")
            .Append($"({outcome.Configurations} configurations remembered) before an order of all {KnownCount(searched)} ")
            .Append("operations with a known outcome was found or ruled out. ");
        AppendLongestPrefix(text, outcome);
        AppendStuck(text, outcome, "the search had found no way to place");
        return text.ToString();
    }

    private static int KnownCount(IEnumerable<SearchOperation> operations) => operations.Count(op => op.Known && !op.IsFinalObservation);

    private void AppendLongestPrefix(StringBuilder text, SearchOutcome outcome)
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

    /// <summary>
    /// The first required operation to return without a place after the longest prefix is where the orders tried got
    /// stuck: what the model would have answered it there, and why an answer that fits still did not do. When it fits
    /// but would leave behind another operation that needs the current revision and does not fit, that one is named.
    /// </summary>
    private void AppendStuck(StringBuilder text, SearchOutcome outcome, string couldNot)
    {
        var placed = outcome.LongestPrefix.ToHashSet();
        var stuck = searched.Where(op => op.Required && !placed.Contains(op.Index)).MinBy(op => (op.Return, op.Call));
        if (stuck is null)
        {
            return;
        }
        var state = outcome.StateAfterLongestPrefix;
        string? why = null;
        if (KvModel.Apply(state, stuck.Record, stuck.Known) is { } after && after.Revision > state.Revision)
        {
            var overtaken = searched.Where(op => op.Required && op != stuck && !placed.Contains(op.Index) && op.RevisionBefore < after.Revision)
                .MinBy(op => (op.RevisionBefore, op.Return));
            if (observed.Contradicted(after) is { } seen)
            {
                why = $", which fits, but then revision {after.Revision} holds {after.Get(seen.Kv.Key)?.ToString() ?? $"no {seen.Kv.Key}"}" +
                    $" where {seen.Observer} saw {seen.Kv}";
            }
            else if (overtaken is not null && overtaken.RevisionBefore == state.Revision && KvModel.Apply(state, overtaken.Record, overtaken.Known) is null)
            {
                why = $" ({stuck} fits, but would take the store past revision {state.Revision}, which this one needs)";
                stuck = overtaken;
            }
            else if (overtaken is not null)
            {
                why = $", which fits, but takes the store to revision {after.Revision}, past revision {overtaken.RevisionBefore} " +
                    $"that {overtaken} needs, and which could not be placed before it";
            }
        }
        text.Append($" After it, {couldNot} {stuck}")
            .Append($"; there the store would have answered: {KvModel.Answer(state, stuck.Record)}")
            .Append(why)
            .Append('.');
        AppendRecordedState(text, stuck);
    }

    /// <summary>
    /// The store's own record of the stuck operation's keys, to compare its response with: at its revision, and for a
    /// write that changed something, also just before it (what prev shows).
    /// </summary>
    private void AppendRecordedState(StringBuilder text, SearchOperation stuck)
    {
        var op = stuck.Record;
        if (stuck.IsFinalObservation || !op.Ok)
        {
            return;
        }
        var revisions = op.IsAcknowledgedChange ? new[] { op.Revision - 1, op.Revision } : [op.Revision];
        foreach (var revision in revisions)
        {
            if (recordedStates.FirstOrDefault(state => state.Revision == revision) is not { } recorded)
            {
                continue;
            }
            var keys = op.Type switch
            {
                OperationType.Range => recorded.Kvs.Select(kv => kv.Key).ToArray(),
                OperationType.Txn2 => [op.Key, op.Key2],
                _ => [op.Key],
            };
            var shown = keys.Select(key => recorded.Kvs.FirstOrDefault(kv => kv.Key == key)?.ToString() ?? $"no {key}");
            text.Append($" The recorded state at revision {revision} has: {string.Join("; ", shown.DefaultIfEmpty("nothing"))}.");
        }
    }
}
