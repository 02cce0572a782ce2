namespace ActorStore.Simulation;

/// <summary>Knobs of one family of randomized schedules.</summary>
internal sealed record SimulationOptions
{
    public int Nodes { get; init; } = 3;

    public int Steps { get; init; } = 2000;

    public bool PreVote { get; init; } = true;

    public bool CheckQuorum { get; init; } = true;

    public int ElectionTick { get; init; } = 10;

    public int HeartbeatTick { get; init; } = 2;

    /// <summary>Share of steps that advance virtual time; the rest deliver, process, propose, read, compact.</summary>
    public double TickProbability { get; init; } = 0.07;

    public int MaxInflightMsgs { get; init; } = 8;

    /// <summary>Small, so that catch-up needs several appends.</summary>
    public ulong MaxSizePerMsg { get; init; } = 256;

    public double DropProbability { get; init; } = 0.05;

    public double DuplicateProbability { get; init; } = 0.03;

    /// <summary>Messages are delayed by 0..MaxDelayTicks ticks; differing delays reorder them.</summary>
    public int MaxDelayTicks { get; init; } = 3;

    public double CrashProbability { get; init; } = 0.001;

    /// <summary>Chance that a node crashes right after sending a Ready's early messages, before its write is durable.</summary>
    public double CrashBeforePersistProbability { get; init; } = 0.01;

    public double PartitionProbability { get; init; } = 0.002;

    /// <summary>Ticks of the final fault-free period in which a leader must emerge and a proposal must commit.</summary>
    public int LivenessTicks { get; init; } = 300;
}
