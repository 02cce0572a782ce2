namespace ActorStore.Raft.Shell;

/// <summary>
/// How much of its past a member's journal keeps, the nearest meaning of etcd's --max-snapshots and --max-wals: the
/// newest <paramref name="Snapshots"/> snapshots, and the events of the newest <paramref name="Segments"/> stretches
/// between snapshots (a stretch standing for one of etcd's WAL files). 0 keeps all.
/// </summary>
public sealed record RaftWalRetention(int Snapshots, int Segments)
{
    /// <summary>Only the latest snapshot and no event before it.</summary>
    public static readonly RaftWalRetention LatestOnly = new(1, 1);

    /// <summary>
    /// Of the snapshots taken so far (sequence numbers, oldest first), the one at and above which <paramref name="keep"/>
    /// of them stay; null when all stay.
    /// </summary>
    public static long? OldestKept(IReadOnlyList<long> snapshotSequenceNrs, int keep)
    {
        ArgumentNullException.ThrowIfNull(snapshotSequenceNrs);
        return keep > 0 && snapshotSequenceNrs.Count >= keep ? snapshotSequenceNrs[^keep] : null;
    }
}
