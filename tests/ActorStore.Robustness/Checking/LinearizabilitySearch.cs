using System.Diagnostics;

namespace ActorStore.Robustness.Checking;

/// <summary>
/// The Wing–Gong search with Lowe's memo. Walk the entries in time order; at a call, try to linearize that operation
/// next (the model accepts its response, no required operation is left behind by the revision it leads to, and the
/// configuration is new), and if so lift it out and start over from the first entry; at a return, the operation it
/// belongs to should have been linearized already, so undo the last choice and try the entry after it. Every required
/// operation linearized means linearizable; nothing left to undo means not. Unknown operations never block (their
/// return is at infinity) and, unless their value was seen, need not be linearized.
/// At each new configuration the hinted writer of the next revision, if any and callable, is tried before the walk: a
/// hint only orders the choices, so it speeds up finding an order and never changes the verdict.
/// </summary>
internal sealed class LinearizabilitySearch
{
    private readonly IReadOnlyList<SearchOperation> _operations;
    private readonly ObservedWrites _observed;
    private readonly IReadOnlyDictionary<long, IReadOnlyList<int>> _hintedWritersOf;
    private readonly LinearizabilityBudget _budget;
    private readonly EntryList _entries;
    private readonly MinimumTree _revisionNeeded;
    private readonly MinimumTree _earliestReturn;
    private readonly LinearizedSet _linearized;
    private readonly ConfigurationCache _cache = new();
    private readonly (int Operation, ModelState Before, bool Hinted)[] _choices;
    private readonly Stopwatch _stopwatch = new();
    private int _depth;
    private ModelState _state = ModelState.Initial;
    private int _remainingRequired;
    private long _steps;
    private int[] _longestPrefix = [];
    private ModelState _stateAfterLongestPrefix = ModelState.Initial;

    /// <param name="hintedWritersOf">Revision -> the unknown writes to try first for it.</param>
    public LinearizabilitySearch(
        IReadOnlyList<SearchOperation> operations, ObservedWrites observed, IReadOnlyDictionary<long, IReadOnlyList<int>> hintedWritersOf,
        LinearizabilityBudget budget)
    {
        _operations = operations;
        _observed = observed;
        _hintedWritersOf = hintedWritersOf;
        _budget = budget;
        _entries = new EntryList(operations);
        _revisionNeeded = new MinimumTree(operations.Select(op => op.Required ? op.RevisionBefore : long.MaxValue).ToArray());
        _earliestReturn = new MinimumTree(operations.Select(op => op.Return).ToArray());
        _linearized = new LinearizedSet(operations.Select(op => op.Required).ToArray());
        _choices = new (int, ModelState, bool)[operations.Count];
        _remainingRequired = operations.Count(op => op.Required);
    }

    public SearchOutcome Run()
    {
        _stopwatch.Start();
        var entry = _entries.First;
        var newConfiguration = true;
        var iterations = 0L;
        while (_remainingRequired > 0)
        {
            // Steps are counted exactly; the clock and the memo's size are looked at now and then.
            if ((_steps >= _budget.MaxSteps || ++iterations % 1024 == 0) && Exhausted() is { } reason)
            {
                return Outcome(LinearizabilityVerdict.Inconclusive, reason);
            }
            if (newConfiguration)
            {
                newConfiguration = false;
                if (HintedChoice() is { } choice && TryLinearize(choice, hinted: true))
                {
                    newConfiguration = true;
                    entry = _entries.First;
                    continue;
                }
            }
            // A required operation's return entry is still listed, so the walk meets a return before the tail.
            if (_entries.IsCall(entry))
            {
                if (TryLinearize(_operations[_entries.OperationOf(entry)], hinted: false))
                {
                    newConfiguration = true;
                    entry = _entries.First;
                    continue;
                }
                entry = _entries.Next(entry);
            }
            else
            {
                if (_depth == 0)
                {
                    return Outcome(LinearizabilityVerdict.NotLinearizable);
                }
                var (undone, wasHinted) = Undo();
                // A hinted choice was made ahead of the walk, so the walk starts over; the hinted one is in the memo now.
                entry = wasHinted ? _entries.First : _entries.Next(_entries.CallEntryOf(undone));
            }
        }
        return Outcome(LinearizabilityVerdict.Linearizable);
    }

    /// <summary>The first unknown write hinted for the next revision that is not linearized and could be next by real time.</summary>
    private SearchOperation? HintedChoice()
    {
        if (!_hintedWritersOf.TryGetValue(_state.Revision + 1, out var hinted))
        {
            return null;
        }
        foreach (var index in hinted)
        {
            var op = _operations[index];
            // Calls sort before returns at equal times, so a call at the earliest pending return is still in the window.
            if (!_linearized.Contains(index) && op.Call <= _earliestReturn.Minimum)
            {
                return op;
            }
        }
        return null;
    }

    private bool TryLinearize(SearchOperation op, bool hinted)
    {
        // Cheap refusals first: a required operation needs its exact revision, and any change must stay within the bound.
        if (op.Required ? op.RevisionBefore != _state.Revision : _state.Revision >= _revisionNeeded.Minimum)
        {
            return false;
        }
        _steps++;
        var after = KvModel.Apply(_state, op.Record, checkResponse: op.Known);
        // An unknown write that would change nothing is the same as one that never happened: not worth a branch.
        if (after is null || (!op.Known && ReferenceEquals(after, _state)) ||
            (after.Revision != _state.Revision && _observed.Contradicted(after) is not null))
        {
            return false;
        }
        Take(op);
        if (after.Revision <= _revisionNeeded.Minimum && _cache.Add(_linearized, after))
        {
            _entries.Lift(op.Index);
            _choices[_depth++] = (op.Index, _state, hinted);
            _state = after;
            return true;
        }
        PutBack(op);
        return false;
    }

    private (int Operation, bool Hinted) Undo()
    {
        KeepIfLongest();
        var (undone, before, hinted) = _choices[--_depth];
        _entries.Unlift(undone);
        PutBack(_operations[undone]);
        _state = before;
        return (undone, hinted);
    }

    private void Take(SearchOperation op)
    {
        _linearized.Add(op.Index);
        _earliestReturn.Remove(op.Index);
        if (op.Required)
        {
            _revisionNeeded.Remove(op.Index);
            _remainingRequired--;
        }
    }

    private void PutBack(SearchOperation op)
    {
        _linearized.Remove(op.Index);
        _earliestReturn.Restore(op.Index);
        if (op.Required)
        {
            _revisionNeeded.Restore(op.Index);
            _remainingRequired++;
        }
    }

    /// <summary>
    /// Keeps the current prefix when it is the longest yet. Called before the prefix shrinks (and at the end), so the
    /// deepest point is copied once when the search leaves it rather than at every step that goes deeper.
    /// </summary>
    private void KeepIfLongest()
    {
        if (_depth > _longestPrefix.Length)
        {
            _longestPrefix = _choices[.._depth].Select(choice => choice.Operation).ToArray();
            _stateAfterLongestPrefix = _state;
        }
    }

    private SearchOutcome Outcome(LinearizabilityVerdict verdict, string? budgetExhausted = null)
    {
        KeepIfLongest();
        return new(verdict, budgetExhausted, _steps, _cache.Count, _stopwatch.Elapsed, _longestPrefix, _stateAfterLongestPrefix);
    }

    private string? Exhausted() =>
        _steps >= _budget.MaxSteps ? $"the step budget of {_budget.MaxSteps} ran out"
        : _stopwatch.Elapsed >= _budget.MaxTime ? $"the time budget of {_budget.MaxTime.TotalSeconds:F0} s ran out"
        : _cache.Count >= _budget.MaxConfigurations ? $"the memo reached its limit of {_budget.MaxConfigurations} configurations"
        : null;
}
