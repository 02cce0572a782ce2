namespace ActorStore.Raft.Shell;

/// <summary>How a Raft member runs: its core settings, its clock, and how much log it keeps behind a snapshot.</summary>
public sealed record RaftMemberSettings
{
    public required RaftConfig Core { get; init; }

    /// <summary>One tick of the core (etcd's --heartbeat-interval).</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Entries kept in the log behind a snapshot, so slightly lagging followers catch up without one.</summary>
    public ulong SnapshotCatchUpEntries { get; init; } = 5_000;

    /// <summary>A read-index confirmation not answered within this long is asked again (leader may have changed).</summary>
    public TimeSpan ReadIndexRetry { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Told of every journal write the actor waited for: how long it took and how many entries it held.</summary>
    public Action<TimeSpan, int>? JournalWritten { get; init; }

    /// <summary>Told of each append (MsgApp) sent to a peer, with its size in bytes (etcd's v2 server stats).</summary>
    public Action<ulong, int>? AppendSent { get; init; }

    /// <summary>Told of each append (MsgApp) received from the leader, with the leader's id and the size in bytes.</summary>
    public Action<ulong, int>? AppendReceived { get; init; }

    /// <summary>Told when this member becomes leader.</summary>
    public Action? BecameLeader { get; init; }

    /// <summary>Told when the link to a peer fails (a send that cannot be delivered).</summary>
    public Action<ulong>? PeerLinkFailed { get; init; }

    /// <summary>Told each time the leader sends a heartbeat later than twice the tick interval after the previous one.</summary>
    public Action? HeartbeatSentLate { get; init; }

    /// <summary>Told of each heartbeat's round trip to a peer (sent to answered), by peer id.</summary>
    public Action<ulong, TimeSpan>? PeerRoundTrip { get; init; }
}
