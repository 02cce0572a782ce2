namespace ActorStore.Raft;

/// <summary>Parameters of one Raft member. Times are counted in ticks of the owner's clock.</summary>
public sealed record RaftConfig
{
    /// <summary>This member's id; 0 is reserved for "nobody".</summary>
    public required ulong Id { get; init; }

    /// <summary>Ticks without hearing from a leader before campaigning; the actual timeout is drawn from [ElectionTick, 2*ElectionTick).</summary>
    public int ElectionTick { get; init; } = 10;

    /// <summary>Ticks between leader heartbeats; must be less than <see cref="ElectionTick"/>.</summary>
    public int HeartbeatTick { get; init; } = 1;

    /// <summary>Index the application's state machine has already applied; committed entries up to it are not handed out again.</summary>
    public ulong Applied { get; init; }

    /// <summary>Upper bound on the entry bytes of one append message; 0 sends one entry per message.</summary>
    public ulong MaxSizePerMsg { get; init; } = 1024 * 1024;

    /// <summary>Upper bound on the entry bytes handed to the application per <see cref="Ready"/>; 0 means <see cref="MaxSizePerMsg"/>.</summary>
    public ulong MaxCommittedSizePerReady { get; init; }

    /// <summary>Leader refuses proposals once this many payload bytes are uncommitted; 0 means no limit.</summary>
    public ulong MaxUncommittedEntriesSize { get; init; }

    /// <summary>Append messages that may be in flight to one follower in the replicate state.</summary>
    public int MaxInflightMsgs { get; init; } = 256;

    /// <summary>The leader steps down when it has not heard from a quorum within an election timeout; followers ignore vote requests while they hear from a leader.</summary>
    public bool CheckQuorum { get; init; } = true;

    /// <summary>Run a pre-election first so that a partitioned member does not bump the cluster's term on return.</summary>
    public bool PreVote { get; init; } = true;

    /// <summary>Followers drop proposals instead of forwarding them to the leader.</summary>
    public bool DisableProposalForwarding { get; init; }

    /// <summary>Election-timeout randomness; when null a generator seeded from <see cref="Id"/> is used, so runs stay reproducible.</summary>
    public IRaftRandom? Random { get; init; }

    internal void Validate()
    {
        if (Id == 0)
        {
            throw new ArgumentException("raft: id 0 is reserved and cannot identify a member");
        }

        if (HeartbeatTick <= 0)
        {
            throw new ArgumentException("raft: heartbeat tick must be greater than 0");
        }

        if (ElectionTick <= HeartbeatTick)
        {
            throw new ArgumentException("raft: election tick must be greater than heartbeat tick");
        }

        if (MaxInflightMsgs <= 0)
        {
            throw new ArgumentException("raft: max inflight messages must be greater than 0");
        }
    }
}
