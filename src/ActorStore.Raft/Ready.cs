using Raftpb;

namespace ActorStore.Raft;

/// <summary>
/// A batch of work the core hands to its shell. Process it in this order, then call <see cref="RaftNode.Advance"/>:
/// <list type="number">
/// <item>Persist <see cref="Snapshot"/> (if any, before the entries), <see cref="Entries"/> and <see cref="HardState"/>
/// atomically; flush to disk when <see cref="MustSync"/>.</item>
/// <item>Send <see cref="Messages"/>. Those for which <see cref="MaySendBeforePersisting"/> holds (a leader's appends,
/// heartbeats, snapshots, transfer and read-index answers, forwarded requests) may be sent while step 1 is still
/// in progress; all others (vote requests and answers, append and heartbeat answers) only after step 1 is durable,
/// because they promise the receiver that this member has stored what they refer to.</item>
/// <item>Install <see cref="Snapshot"/> in the state machine, then apply <see cref="CommittedEntries"/> in order
/// (calling <see cref="RaftNode.ApplyConfChange"/> for configuration entries).</item>
/// <item>Serve reads whose <see cref="ReadStates"/> index has been applied.</item>
/// </list>
/// Objects in a Ready are shared with the core and with messages: treat them as read-only.
/// </summary>
public sealed class Ready
{
    internal Ready()
    {
    }

    /// <summary>Leader and role, when they changed since the previous Ready.</summary>
    public SoftState? SoftState { get; init; }

    /// <summary>Term, vote and commit to persist, when they changed since the previous Ready.</summary>
    public HardState? HardState { get; init; }

    /// <summary>Log entries to persist; an entry replaces any stored entry at the same or a later index.</summary>
    public IReadOnlyList<Entry> Entries { get; init; } = [];

    /// <summary>A snapshot received from the leader, to persist and install; replaces the whole log.</summary>
    public Snapshot? Snapshot { get; init; }

    /// <summary>Entries committed and not yet applied, in index order.</summary>
    public IReadOnlyList<Entry> CommittedEntries { get; init; } = [];

    /// <summary>Messages to deliver to peers (each has <c>To</c> set).</summary>
    public IReadOnlyList<Message> Messages { get; init; } = [];

    /// <summary>Confirmed read indexes for requests made with <see cref="RaftNode.ReadIndex"/>.</summary>
    public IReadOnlyList<ReadState> ReadStates { get; init; } = [];

    /// <summary>The write of step 1 must reach stable storage (new entries, a new term or vote, or a snapshot).</summary>
    public bool MustSync { get; init; }

    public bool IsEmpty =>
        SoftState is null && HardState is null && Entries.Count == 0 && Snapshot is null
        && CommittedEntries.Count == 0 && Messages.Count == 0 && ReadStates.Count == 0;

    /// <summary>
    /// True for messages whose sending does not depend on the Ready's own writes being durable. The leader's
    /// own log copy only counts towards commitment once Advance confirms it, so its appends may overlap its disk write.
    /// </summary>
    public static bool MaySendBeforePersisting(Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Type is MessageType.MsgApp or MessageType.MsgHeartbeat or MessageType.MsgSnap
            or MessageType.MsgTimeoutNow or MessageType.MsgReadIndexResp or MessageType.MsgProp
            or MessageType.MsgReadIndex or MessageType.MsgTransferLeader;
    }
}
