namespace ActorStore.Simulation;

/// <summary>What a schedule (or a batch of them) exercised.</summary>
internal sealed class SimulationStats
{
    public long Schedules { get; set; } = 1;

    public long Steps { get; set; }

    public long Leaders { get; set; }

    public long Committed { get; set; }

    public long Proposals { get; set; }

    public long ProposalsDropped { get; set; }

    public long ReadsConfirmed { get; set; }

    public long Crashes { get; set; }

    public long Partitions { get; set; }

    public long Transfers { get; set; }

    public long SnapshotsTaken { get; set; }

    public long SnapshotsInstalled { get; set; }

    public long MessagesDelivered { get; set; }

    public long MessagesDropped { get; set; }

    public long MessagesDuplicated { get; set; }

    public long LivenessTicks { get; set; }

    public void Add(SimulationStats other)
    {
        Schedules += other.Schedules;
        Steps += other.Steps;
        Leaders += other.Leaders;
        Committed += other.Committed;
        Proposals += other.Proposals;
        ProposalsDropped += other.ProposalsDropped;
        ReadsConfirmed += other.ReadsConfirmed;
        Crashes += other.Crashes;
        Partitions += other.Partitions;
        Transfers += other.Transfers;
        SnapshotsTaken += other.SnapshotsTaken;
        SnapshotsInstalled += other.SnapshotsInstalled;
        MessagesDelivered += other.MessagesDelivered;
        MessagesDropped += other.MessagesDropped;
        MessagesDuplicated += other.MessagesDuplicated;
        LivenessTicks = Math.Max(LivenessTicks, other.LivenessTicks);
    }

    public override string ToString() =>
        $"{Schedules} schedules, {Steps} steps: {Leaders} leaderships, {Committed} entries committed (max index per schedule, summed), " +
        $"{Proposals} proposals ({ProposalsDropped} dropped), {ReadsConfirmed} reads confirmed, {Crashes} crashes, {Partitions} partitions, " +
        $"{Transfers} transfers, {SnapshotsTaken} snapshots taken, {SnapshotsInstalled} installed, messages {MessagesDelivered} delivered / " +
        $"{MessagesDropped} dropped / {MessagesDuplicated} duplicated, slowest recovery {LivenessTicks} ticks";
}
