namespace ActorStore.Persistence;

/// <summary>
/// Selects snapshots with MinSequenceNr &lt;= sequence nr &lt;= MaxSequenceNr and, when MaxTimestamp is set,
/// timestamp &lt;= MaxTimestamp.
/// </summary>
public sealed record SnapshotSelectionCriteria(
    long MaxSequenceNr = long.MaxValue,
    DateTimeOffset? MaxTimestamp = null,
    long MinSequenceNr = 0)
{
    /// <summary>Matches every snapshot, so loading returns the latest.</summary>
    public static SnapshotSelectionCriteria Latest => new();

    public bool Matches(SnapshotMetadata metadata) =>
        metadata.SequenceNr >= MinSequenceNr
        && metadata.SequenceNr <= MaxSequenceNr
        && (MaxTimestamp is not { } max || metadata.Timestamp <= max);
}
