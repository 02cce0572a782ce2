using Google.Protobuf;
using Raftpb;

namespace ActorStore.Raft;

/// <summary>
/// One Raft member as a pure state machine: no threads, no clock, no I/O. The owner ticks it, steps peer messages
/// into it, and repeatedly takes a <see cref="Ready"/> (what to persist, send and apply), carries it out and calls
/// <see cref="Advance"/>. At most one Ready is outstanding; messages may be stepped while it is.
/// Not thread-safe: one owner drives it.
/// </summary>
public sealed class RaftNode
{
    private readonly RaftCore _core;
    private SoftState _reportedSoftState;
    private HardState _reportedHardState;
    private Ready? _outstanding;

    public RaftNode(RaftConfig config, IRaftLogStorage storage)
    {
        _core = new RaftCore(config, storage);
        _reportedSoftState = _core.SoftState;
        _reportedHardState = _core.HardState;
    }

    public ulong Id => _core.Id;

    /// <summary>The in-memory log (durable and unstable parts), for invariant checkers in tests.</summary>
    internal RaftLog Log => _core.Log;

    /// <summary>Advances logical time by one tick (elections, heartbeats, quorum checks).</summary>
    public void Tick() => _core.Tick();

    /// <summary>Starts an election now (through a pre-vote when enabled); ignored by leaders, learners and removed members.</summary>
    public void Campaign() => _core.Step(new Message { Type = MessageType.MsgHup, From = _core.Id });

    /// <summary>
    /// Proposes one entry. Throws <see cref="ProposalDroppedException"/> when it could not be accepted or forwarded.
    /// <paramref name="context"/> travels with the proposal when a follower forwards it to the leader (the shell puts
    /// the request's deadline there); the log never stores it.
    /// </summary>
    public void Propose(ByteString data, ByteString? context = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var message = new Message { Type = MessageType.MsgProp, From = _core.Id, Context = context ?? ByteString.Empty };
        message.Entries.Add(new Entry { Type = EntryType.EntryNormal, Data = data });
        StepProposal(message);
    }

    /// <summary>Proposes several entries as one batch: all are accepted or the whole batch is dropped.</summary>
    public void Propose(IReadOnlyList<ByteString> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
        {
            return;
        }

        var message = new Message { Type = MessageType.MsgProp, From = _core.Id };
        foreach (var data in batch)
        {
            message.Entries.Add(new Entry { Type = EntryType.EntryNormal, Data = data });
        }

        StepProposal(message);
    }

    /// <summary>
    /// Proposes a membership change. Dropped (throws) while an earlier change is not yet applied on the leader,
    /// or for the same reasons as <see cref="Propose(ByteString)"/>.
    /// </summary>
    public void ProposeConfChange(ConfChange change, ByteString? context = null)
    {
        ArgumentNullException.ThrowIfNull(change);
        var message = new Message { Type = MessageType.MsgProp, From = _core.Id, Context = context ?? ByteString.Empty };
        message.Entries.Add(new Entry { Type = EntryType.EntryConfChange, Data = change.ToByteString() });
        StepProposal(message);
    }

    /// <summary>Applies a committed membership change; call it for every committed ConfChange entry, in order.</summary>
    public ConfState ApplyConfChange(ConfChange change) => _core.ApplyConfChange(change);

    /// <summary>
    /// Steps a message received from a peer. Returns false when it was ignored: an answer from an unknown member
    /// or a forwarded proposal this member had to drop. Local message types are rejected.
    /// </summary>
    public bool Step(Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (IsLocal(message.Type))
        {
            throw new ArgumentException($"raft: {message.Type} is a local message and cannot be stepped", nameof(message));
        }

        if (IsResponse(message.Type) && _core.Tracker.Get(message.From) is null)
        {
            return false;
        }

        return _core.Step(message);
    }

    /// <summary>
    /// Requests a linearizable read point. A <see cref="ReadState"/> carrying <paramref name="requestContext"/> appears
    /// in a later Ready once leadership was confirmed; contexts should be unique. The request is silently dropped
    /// when there is no leader (retry on timeout).
    /// </summary>
    public void ReadIndex(ByteString requestContext)
    {
        ArgumentNullException.ThrowIfNull(requestContext);
        var message = new Message { Type = MessageType.MsgReadIndex };
        message.Entries.Add(new Entry { Data = requestContext });
        _core.Step(message);
    }

    /// <summary>Asks the leader (directly or through this follower) to hand leadership to <paramref name="transferee"/>.</summary>
    public void TransferLeader(ulong transferee) =>
        _core.Step(new Message { Type = MessageType.MsgTransferLeader, From = transferee });

    /// <summary>The transport failed to deliver to <paramref name="id"/>; the leader stops pipelining to it.</summary>
    public void ReportUnreachable(ulong id) =>
        _core.Step(new Message { Type = MessageType.MsgUnreachable, From = id });

    /// <summary>Reports the outcome of sending a snapshot to <paramref name="id"/>, so the leader resumes replication.</summary>
    public void ReportSnapshot(ulong id, bool failed) =>
        _core.Step(new Message { Type = MessageType.MsgSnapStatus, From = id, Reject = failed });

    /// <summary>True when there is something to persist, send, apply or report, and no Ready is outstanding.</summary>
    public bool HasReady()
    {
        if (_outstanding is not null)
        {
            return false;
        }

        var log = _core.Log;
        return _core.Outbox.Count > 0
            || log.Unstable.Count > 0
            || log.Unstable.Snapshot is not null
            || log.HasNextCommittedEntries
            || _core.ReadStates.Count > 0
            || !_core.SoftStateEquals(_reportedSoftState)
            || !_core.HardStateEquals(_reportedHardState);
    }

    /// <summary>Takes the pending work. Throws when the previous Ready has not been advanced.</summary>
    public Ready GetReady()
    {
        if (_outstanding is not null)
        {
            throw new InvalidOperationException("raft: the previous Ready has not been advanced");
        }

        var log = _core.Log;
        bool softChanged = !_core.SoftStateEquals(_reportedSoftState);
        bool hardChanged = !_core.HardStateEquals(_reportedHardState);
        var softState = softChanged ? _core.SoftState : _reportedSoftState;
        var hardState = hardChanged ? _core.HardState : _reportedHardState;
        var entries = log.Unstable.ToArray();
        var snapshot = log.Unstable.Snapshot;

        var ready = new Ready
        {
            SoftState = softChanged ? softState : null,
            HardState = hardChanged ? hardState : null,
            Entries = entries,
            Snapshot = snapshot,
            CommittedEntries = log.NextCommittedEntries(),
            Messages = _core.Outbox.Count == 0 ? [] : _core.Outbox.ToArray(),
            ReadStates = _core.ReadStates.Count == 0 ? [] : _core.ReadStates.ToArray(),
            MustSync = entries.Length > 0 || snapshot is not null
                || hardState.Term != _reportedHardState.Term || hardState.Vote != _reportedHardState.Vote,
        };

        _core.Outbox.Clear();
        _core.ReadStates.Clear();
        _reportedSoftState = softState;
        _reportedHardState = hardState;
        _outstanding = ready;
        return ready;
    }

    /// <summary>
    /// Confirms that <paramref name="ready"/> was carried out: its writes are durable and its committed entries applied.
    /// </summary>
    public void Advance(Ready ready)
    {
        ArgumentNullException.ThrowIfNull(ready);
        if (!ReferenceEquals(ready, _outstanding))
        {
            throw new InvalidOperationException("raft: Advance must be given the Ready returned by the last GetReady");
        }

        _outstanding = null;
        _core.AcknowledgeReady(ready);
    }

    public RaftStatus Status => _core.Status();

    public RaftBasicStatus BasicStatus => _core.BasicStatus();

    /// <summary>True for message types that are generated by the member itself and never cross the network.</summary>
    public static bool IsLocal(MessageType type) =>
        type is MessageType.MsgHup or MessageType.MsgBeat or MessageType.MsgUnreachable
            or MessageType.MsgSnapStatus or MessageType.MsgCheckQuorum;

    /// <summary>True for message types that answer a request.</summary>
    public static bool IsResponse(MessageType type) =>
        type is MessageType.MsgAppResp or MessageType.MsgVoteResp or MessageType.MsgHeartbeatResp
            or MessageType.MsgUnreachable or MessageType.MsgPreVoteResp;

    private void StepProposal(Message message)
    {
        if (!_core.Step(message))
        {
            throw new ProposalDroppedException();
        }
    }
}
