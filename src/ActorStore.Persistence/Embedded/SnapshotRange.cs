namespace ActorStore.Persistence.Embedded;

/// <summary>Akka's snapshot selection criteria as inclusive bounds on stored columns.</summary>
internal readonly record struct SnapshotRange(
    long MinSequenceNr,
    long MaxSequenceNr,
    long MinTimestampTicks,
    long MaxTimestampTicks)
{
    public static SnapshotRange From(global::Akka.Persistence.SnapshotSelectionCriteria criteria) =>
        new(
            Math.Max(0, criteria.MinSequenceNr),
            criteria.MaxSequenceNr,
            criteria.MinTimestamp?.Ticks ?? 0,
            criteria.MaxTimeStamp.Ticks);
}
