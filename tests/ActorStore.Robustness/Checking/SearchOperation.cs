using ActorStore.Robustness.History;

namespace ActorStore.Robustness.Checking;

/// <summary>
/// An operation as the search sees it. A known one must be linearized between its call and return with its recorded
/// response; an unknown one (a failed write) may be linearized any time after its call, with any response, or never —
/// unless its value was seen, which makes it required, at the revision it was seen written.
/// </summary>
/// <param name="RevisionBefore">For a required operation, the store revision it must find (see <see cref="KvModel.RevisionBefore"/>).</param>
internal sealed record SearchOperation(
    int Index, OperationRecord Record, bool Known, bool Required, long Call, long Return, long RevisionBefore, bool IsFinalObservation)
{
    public override string ToString() =>
        IsFinalObservation
            ? $"the final state read at revision {Record.Revision} (after every operation with a known outcome): kvs [{string.Join("; ", Record.Kvs)}]"
            : !Known && Required ? $"{Record} (unknown outcome, but its value was seen written at revision {RevisionBefore + 1})"
            : Record.ToString();
}
