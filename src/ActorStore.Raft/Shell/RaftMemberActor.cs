using System.Diagnostics;
using ActorStore.Protocol.Errors;
using Akka.Actor;
using Akka.Remote;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Raftpb;

namespace ActorStore.Raft.Shell;

/// <summary>
/// The actor shell around one Raft core: ticks it, steps it with peers' messages and local proposals, and works off
/// each Ready: persists it through its WAL actor (one journal event, one write), sends messages (a leader's appends go out while
/// its own write is in flight), hands committed entries to the apply actor, then advances. Only one Ready is in
/// flight; what arrives meanwhile is stepped into the core and lands in the next one, so batches grow with the load.
/// </summary>
public sealed class RaftMemberActor : ReceiveActor
{
    private readonly RaftNode _node;
    private readonly MemoryRaftLogStorage _storage;
    private readonly RaftJournal _journal;
    private readonly IActorRef _apply;
    private readonly Func<ulong, string, IPeerChannel> _resolvePeer;
    private readonly RaftStateBoard _board;
    private readonly RaftMemberSettings _settings;
    private readonly ILogger _log;
    private readonly Dictionary<ulong, IPeerChannel> _peers = new();
    private readonly PeerLinks _links = new();
    private readonly List<TaskCompletionSource<ulong>> _readsWaiting = new();
    // The part of a Ready's messages being sent now (before or after its write); reused.
    private readonly List<Message> _sending = new();
    private readonly Dictionary<ulong, List<TaskCompletionSource<ulong>>> _readsInFlight = new();
    private ConfState _confState;
    // The configuration at the index of the state snapshot being encoded; membership changes may be applied meanwhile.
    private (ulong Index, ConfState ConfState)? _capturedConfState;
    private ulong _nextReadContext;
    private DateTimeOffset _readIssuedAt;
    private bool _persisting;
    private bool _readyDue;
    private ulong _term;
    private ulong _leader;
    private DateTimeOffset _becameLeaderAt;
    private bool _failed;
    private bool _compactionPending;
    private ICancelable? _ticker;

    public RaftMemberActor(
        RaftMemberSettings settings,
        MemoryRaftLogStorage storage,
        RaftJournal journal,
        IActorRef apply,
        Func<ulong, string, IPeerChannel> resolvePeer,
        IReadOnlyDictionary<ulong, string> peerAddresses,
        RaftStateBoard board,
        ILogger log)
    {
        _settings = settings;
        _heartbeatTimeliness = new HeartbeatTimeliness(settings.TickInterval);
        _storage = storage;
        _journal = journal;
        _apply = apply;
        _resolvePeer = resolvePeer;
        _board = board;
        _log = log;
        _node = new RaftNode(settings.Core, storage);
        _confState = storage.InitialState().ConfState;
        _term = storage.HardState.Term;
        SetPeers(peerAddresses);

        Receive<RaftTick>(_ => OnTick());
        Receive<Message>(OnPeerMessage);
        Receive<ProposeEntry>(OnPropose);
        Receive<ProposeMembershipChange>(OnProposeMembershipChange);
        Receive<ReadIndexRequest>(OnReadIndex);
        Receive<GetRaftStatus>(request => request.Completion.TrySetResult(_node.Status));
        Receive<TransferLeadership>(request => { _node.TransferLeader(request.Transferee); ProcessReady(); });
        Receive<ConfChangeApplied>(OnConfChangeApplied);
        Receive<StateSnapshotCaptured>(captured => _capturedConfState = (captured.Index, _confState.Clone()));
        Receive<StateSnapshotTaken>(OnStateSnapshotTaken);
        Receive<ReadyDue>(_ => { _readyDue = false; ProcessReady(); });
        Receive<ReadyPersisted>(OnReadyPersisted);
        Receive<ReadyPersistFailed>(OnReadyPersistFailed);
        Receive<Terminated>(terminated => terminated.ActorRef.Equals(_journal.Wal), _ => OnWalStopped());
        // Akka.Remote's view of each peer's association is what etcd's transport tells its Raft node.
        Receive<AssociatedEvent>(associated => OnConnected(associated.RemoteAddress));
        Receive<DisassociatedEvent>(disassociated => OnDisconnected(disassociated.RemoteAddress));
        Receive<AssociationErrorEvent>(error => OnDisconnected(error.RemoteAddress));
        Receive<PeerRefused>(refused => OnDisconnected(refused.Address));
    }

    protected override void PreStart()
    {
        Context.Watch(_journal.Wal);
        Context.System.EventStream.Subscribe(Self, typeof(AssociatedEvent));
        Context.System.EventStream.Subscribe(Self, typeof(DisassociatedEvent));
        Context.System.EventStream.Subscribe(Self, typeof(AssociationErrorEvent));
        Context.System.EventStream.Subscribe(Self, typeof(PeerRefused));
        _ticker = Context.System.Scheduler.ScheduleTellRepeatedlyCancelable(
            _settings.TickInterval, _settings.TickInterval, Self, RaftTick.Instance, ActorRefs.NoSender);
        if (_confState.Voters.Count == 1 && _confState.Voters[0] == _node.Id)
        {
            // Alone in the cluster: nobody to wait for, so lead at once instead of after an election timeout.
            _node.Campaign();
        }
        else
        {
            // A fresh start waits out most of an election timeout only once, as etcd's initial tick advance does.
            for (var i = 0; i < _settings.Core.ElectionTick - 2; i++)
            {
                _node.Tick();
            }
        }
        ProcessReady();
    }

    protected override void PostStop()
    {
        _ticker?.Cancel();
        Context.System.EventStream.Unsubscribe(Self);
        foreach (var read in _readsWaiting)
        {
            read.TrySetException(EtcdErrors.Stopped);
        }
        foreach (var reads in _readsInFlight.Values)
        {
            foreach (var read in reads)
            {
                read.TrySetException(EtcdErrors.Stopped);
            }
        }
    }

    private void OnTick()
    {
        _node.Tick();
        if (_readsInFlight.Count > 0 && Context.System.Scheduler.Now - _readIssuedAt > _settings.ReadIndexRetry)
        {
            // The confirmation was lost (no leader, or it changed): ask again for everything still waiting.
            foreach (var reads in _readsInFlight.Values)
            {
                _readsWaiting.AddRange(reads);
            }
            _readsInFlight.Clear();
            IssueReadIndex();
        }
        ProcessReady();
    }

    /// <summary>When the last heartbeat still unanswered went to each peer, for the round-trip time.</summary>
    private readonly Dictionary<ulong, long> _heartbeatSentAt = new();
    private readonly HeartbeatTimeliness _heartbeatTimeliness;

    private void OnPeerMessage(Message message)
    {
        if (message.Type == MessageType.MsgApp && _settings.AppendReceived is { } received)
        {
            received(message.From, message.CalculateSize());
        }
        if (message.Type == MessageType.MsgHeartbeatResp && _settings.PeerRoundTrip is { } roundTrip
            && _heartbeatSentAt.Remove(message.From, out var sentAt))
        {
            roundTrip(message.From, Stopwatch.GetElapsedTime(sentAt));
        }
        if (message.Type == MessageType.MsgProp && IsPastDeadline(message))
        {
            return;
        }
        if (!_peers.ContainsKey(message.From) && PeerAddressOf(Sender) is { } address)
        {
            // A member that just joined knows nobody until the leader's snapshot brings the member list; until then it
            // answers whoever wrote to it.
            _peers[message.From] = _resolvePeer(message.From, address);
        }
        try
        {
            _node.Step(message);
        }
        catch (RaftLogLostException lost)
        {
            // The leader knows this member held entries its log no longer has (a wiped data dir restarted as a member):
            // it cannot vote or serve safely again. As etcd does, stop for good; the watchdog ends the program.
            _failed = true;
            _log.LogCritical("{message}", lost.Message);
            Context.Stop(Self);
            return;
        }
        ProcessReadySoon();
    }

    private void OnPropose(ProposeEntry proposal)
    {
        if (_failed)
        {
            proposal.Completion.TrySetException(EtcdErrors.Stopped);
            return;
        }
        if (Context.System.Scheduler.Now >= proposal.Deadline)
        {
            // It waited in the mailbox until its request gave up: the client has its answer already.
            proposal.Completion.TrySetException(EtcdErrors.Timeout);
            return;
        }
        try
        {
            _node.Propose(proposal.Data, ProposalDeadline.Encode(proposal.Deadline));
        }
        catch (ProposalDroppedException)
        {
            proposal.Completion.TrySetException(_leader == 0 ? EtcdErrors.NoLeader : EtcdErrors.LeaderChanged);
            return;
        }
        ProcessReadySoon();
    }

    private void OnProposeMembershipChange(ProposeMembershipChange proposal)
    {
        if (Context.System.Scheduler.Now >= proposal.Deadline)
        {
            proposal.Completion.TrySetException(EtcdErrors.Timeout);
            return;
        }
        try
        {
            _node.ProposeConfChange(proposal.Change, ProposalDeadline.Encode(proposal.Deadline));
        }
        catch (ProposalDroppedException)
        {
            proposal.Completion.TrySetException(_leader == 0 ? EtcdErrors.NoLeader : EtcdErrors.MemberNotEnoughStarted);
            return;
        }
        ProcessReadySoon();
    }

    private void OnReadIndex(ReadIndexRequest request)
    {
        _readsWaiting.Add(request.Completion);
        if (_readsInFlight.Count == 0)
        {
            IssueReadIndex();
            ProcessReadySoon();
        }
    }

    private void IssueReadIndex()
    {
        if (_readsWaiting.Count == 0)
        {
            return;
        }
        var context = ++_nextReadContext;
        _readsInFlight[context] = new List<TaskCompletionSource<ulong>>(_readsWaiting);
        _readsWaiting.Clear();
        _readIssuedAt = Context.System.Scheduler.Now;
        var bytes = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes, context);
        _node.ReadIndex(ByteString.CopyFrom(bytes));
    }

    private void OnConfChangeApplied(ConfChangeApplied applied)
    {
        _confState = _node.ApplyConfChange(applied.Effective);
        SetPeers(applied.PeerAddresses);
        ProcessReady();
    }

    private void OnStateSnapshotTaken(StateSnapshotTaken taken)
    {
        if (taken.Index <= _storage.Snapshot().Metadata.Index)
        {
            return;
        }
        var confState = _capturedConfState is { } captured && captured.Index == taken.Index ? captured.ConfState : _confState;
        _capturedConfState = null;
        _storage.CreateSnapshot(taken.Index, confState, taken.Data);
        var compactTo = taken.Index > _settings.SnapshotCatchUpEntries ? taken.Index - _settings.SnapshotCatchUpEntries : 0;
        if (compactTo > _storage.FirstIndex())
        {
            _storage.Compact(compactTo);
        }
        _log.LogInformation("saved snapshot {snapshot-index}; compacted log to {compact-index}", taken.Index, compactTo);
        // The journal's snapshot must stand for exactly the events written so far: never with a write in flight.
        if (_persisting)
        {
            _compactionPending = true;
        }
        else
        {
            _journal.Compact(_storage);
        }
    }

    private void OnDisconnected(Address remote) => OnDisconnected(PeerAddressOf(remote));

    private void OnDisconnected(string? address)
    {
        if (PeerAt(address) is { } id)
        {
            _node.ReportUnreachable(id);
            _settings.PeerLinkFailed?.Invoke(id);
            if (_links.Down(id, Context.System.Scheduler.Now))
            {
                PublishObservedState();
            }
        }
    }

    private void OnConnected(Address remote)
    {
        if (PeerAt(PeerAddressOf(remote)) is { } id && _links.Up(id))
        {
            PublishObservedState();
        }
    }

    /// <summary>
    /// A proposal forwarded by a follower whose request has given up already is refused, as if lost on the way: it
    /// was held up (a partition, a stalled connection, a paused process) and its client has been answered. Committing
    /// it now could put an old write over newer ones the client made since, or apply it twice if the client retried.
    /// </summary>
    private bool IsPastDeadline(Message proposal)
    {
        if (!ProposalDeadline.HasPassed(proposal.Context, Context.System.Scheduler.Now, out var late))
        {
            return false;
        }
        _log.LogWarning("dropped a proposal from {from} that arrived {late-ms} ms after its request's deadline",
            Hex(proposal.From), (long)late.TotalMilliseconds);
        return true;
    }

    /// <summary>
    /// Takes the next Ready once the messages already in the mailbox are stepped: under load each proposal and peer
    /// message would otherwise make a Ready of its own (one append per follower, one forward to the leader), where
    /// etcd's Raft loop takes whatever arrived while it was busy.
    /// </summary>
    private void ProcessReadySoon()
    {
        if (!_readyDue)
        {
            _readyDue = true;
            Self.Tell(ReadyDue.Instance);
        }
    }

    private void ProcessReady()
    {
        if (_persisting || _failed || !_node.HasReady())
        {
            return;
        }
        var ready = _node.GetReady();
        ObserveSoftState(ready);
        if (ready.HardState is not null && ready.HardState.Term != _term)
        {
            // Response headers carry the term; it reaches the state machine before entries applied in it.
            _term = ready.HardState.Term;
            _apply.Tell(new RaftTermChanged(_term), Self);
        }

        // Committed entries are durable on a quorum already: the state machine applies them while this member writes
        // (after a snapshot, though, which has to be installed first).
        var appliedEarly = ready.Snapshot is null && ready.CommittedEntries.Count > 0;
        if (appliedEarly)
        {
            _apply.Tell(new RaftCommitted(ready.CommittedEntries), Self);
        }

        // A Ready that only moves the commit index need not be written: Raft learns the commit index again from the
        // leader after a restart, so it is stored with the next write that must be durable.
        var needsWrite = ready.Snapshot is not null || ready.Entries.Count > 0 || ready.MustSync;
        if (!needsWrite)
        {
            if (ready.HardState is not null)
            {
                _storage.SetHardState(ready.HardState);
            }
            Send(ready.Messages, early: null);
            Complete(ready, appliedEarly);
            return;
        }
        Send(ready.Messages, early: true);
        _persisting = true;
        _journal.Persist(ready.Snapshot, ready.Entries, ready.HardState,
            Self, new ReadyPersisted(ready, appliedEarly, Stopwatch.GetTimestamp()), cause => new ReadyPersistFailed(cause));
    }

    private void OnReadyPersisted(ReadyPersisted persisted)
    {
        _persisting = false;
        var ready = persisted.Ready;
        _settings.JournalWritten?.Invoke(Stopwatch.GetElapsedTime(persisted.StartedAt), ready.Entries.Count);
        if (ready.Snapshot is not null)
        {
            _storage.ApplySnapshot(ready.Snapshot);
            _confState = ready.Snapshot.Metadata.ConfState;
        }
        if (ready.HardState is not null)
        {
            _storage.SetHardState(ready.HardState);
        }
        _storage.Append(ready.Entries);
        if (_compactionPending)
        {
            _compactionPending = false;
            _journal.Compact(_storage);
        }
        Send(ready.Messages, early: false);
        Complete(ready, persisted.AppliedEarly);
    }

    private void OnReadyPersistFailed(ReadyPersistFailed failed)
    {
        // The core believes the Ready was taken; without its write nothing it promised can be kept. Stop: whoever
        // watches this actor stops the member, and a restart recovers from the journal, which never holds an entry
        // that was not durable.
        if (_failed)
        {
            return;
        }
        _failed = true;
        _log.LogCritical(failed.Cause, "failed to persist raft state; the raft member stops");
        Context.Stop(Self);
    }

    private void OnWalStopped()
    {
        if (CoordinatedShutdown.Get(Context.System).ShutdownReason is not null)
        {
            // The member is stopping: its actors go in no particular order.
            Context.Stop(Self);
            return;
        }
        OnReadyPersistFailed(new ReadyPersistFailed(new InvalidOperationException($"the raft log {_journal.PersistenceId} stopped")));
    }

    private void Complete(Ready ready, bool appliedEarly)
    {
        if (ready.Snapshot is not null)
        {
            _apply.Tell(new RaftSnapshotInstalled(ready.Snapshot), Self);
        }
        if (!appliedEarly && ready.CommittedEntries.Count > 0)
        {
            _apply.Tell(new RaftCommitted(ready.CommittedEntries), Self);
        }
        foreach (var state in ready.ReadStates)
        {
            var context = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(state.RequestContext.Span);
            if (_readsInFlight.Remove(context, out var reads))
            {
                foreach (var read in reads)
                {
                    read.TrySetResult(state.Index);
                }
            }
        }
        _node.Advance(ready);
        PublishObservedState();
        if (_readsInFlight.Count == 0)
        {
            IssueReadIndex();
        }
        ProcessReady();
    }

    /// <summary>
    /// Sends a Ready's messages: before its write only those that do not depend on it (<paramref name="early"/> true),
    /// after it the rest (false), or all at once when there was nothing to write (null).
    /// </summary>
    private void Send(IReadOnlyList<Message> messages, bool? early)
    {
        if (early is { } sendingEarly)
        {
            _sending.Clear();
            foreach (var message in messages)
            {
                if (Ready.MaySendBeforePersisting(message) == sendingEarly)
                {
                    _sending.Add(message);
                }
            }
            messages = _sending;
        }
        var maxBytes = (int)Math.Min(_settings.Core.MaxSizePerMsg, int.MaxValue);
        if (early is not false)
        {
            messages = ProposalForwarding.Coalesce(messages, maxBytes);
        }
        messages = ReplicationBatching.Coalesce(messages, maxBytes);
        foreach (var message in messages)
        {
            if (message.To == _node.Id)
            {
                // Answers to itself (a leader's own read-index confirmation) go straight back into the core.
                _node.Step(message);
                continue;
            }
            if (!_peers.TryGetValue(message.To, out var peer))
            {
                continue;
            }
            if (message.Type == MessageType.MsgProp && _links.IsKnownDown(message.To))
            {
                // etcd's transport drops what it cannot deliver now; the request times out as etcd's would.
                continue;
            }
            if (message.Type == MessageType.MsgHeartbeat)
            {
                CheckHeartbeatTimeliness(message.To);
            }
            else if (message.Type == MessageType.MsgApp && _settings.AppendSent is { } sent)
            {
                sent(message.To, message.CalculateSize());
            }
            if (message.Type == MessageType.MsgHeartbeat && _settings.PeerRoundTrip is not null)
            {
                // The oldest unanswered one: a lost answer shows as one long round trip, not as none.
                _heartbeatSentAt.TryAdd(message.To, Stopwatch.GetTimestamp());
            }
            peer.Send(message, Self);
            if (message.Type == MessageType.MsgSnap)
            {
                // The transport delivers at most once; if this one is lost the follower's rejection brings another.
                _node.ReportSnapshot(message.To, failed: false);
            }
        }
    }

    private void CheckHeartbeatTimeliness(ulong to)
    {
        if (_heartbeatTimeliness.Observe(to, Stopwatch.GetTimestamp()) is { } exceeded)
        {
            _log.LogWarning(
                "leader failed to send out heartbeat on time; took too long, leader is overloaded likely from slow disk {to} {heartbeat-interval} {expected-duration} {exceeded-duration}",
                Hex(to), _settings.TickInterval, _heartbeatTimeliness.Expected, exceeded);
            _settings.HeartbeatSentLate?.Invoke();
        }
    }

    private void ObserveSoftState(Ready ready)
    {
        if (ready.SoftState is not { } soft || soft.Lead == _leader)
        {
            return;
        }
        _heartbeatTimeliness.Reset();
        var previous = _leader;
        _leader = soft.Lead;
        if (_leader == 0)
        {
            _log.LogInformation("raft.node: {member-id} lost leader {leader-id} at term {term}", Hex(_node.Id), Hex(previous), _node.BasicStatus.Term);
        }
        else if (_leader == _node.Id)
        {
            _becameLeaderAt = Context.System.Scheduler.Now;
            _settings.BecameLeader?.Invoke();
            _log.LogInformation("{member-id} became leader at term {term}", Hex(_node.Id), _node.BasicStatus.Term);
        }
        else
        {
            _log.LogInformation("raft.node: {member-id} elected leader {leader-id} at term {term}", Hex(_node.Id), Hex(_leader), _node.BasicStatus.Term);
        }
    }

    private void PublishObservedState() =>
        _board.Publish(new RaftObservedState(_term, _leader, _node.BasicStatus.Role, _storage.LastIndex(), _node.BasicStatus.Commit,
            _becameLeaderAt, _links.Snapshot()));

    private void SetPeers(IReadOnlyDictionary<ulong, string> addresses)
    {
        _peers.Clear();
        foreach (var (id, address) in addresses)
        {
            if (id == _node.Id)
            {
                continue;
            }
            _peers[id] = _resolvePeer(id, address);
        }
        _links.Reset(_peers.Keys);
    }

    private static string Hex(ulong id) => id.ToString("x");

    /// <summary>The peer reached at <paramref name="address"/> (host:port), if any; peers are few.</summary>
    private ulong? PeerAt(string? address)
    {
        if (address is null)
        {
            return null;
        }
        foreach (var (id, channel) in _peers)
        {
            if (string.Equals(channel.Address, address, StringComparison.Ordinal))
            {
                return id;
            }
        }
        return null;
    }

    /// <summary>host:port of a remote actor's system, as member lists name peers; null for a local or no sender.</summary>
    private static string? PeerAddressOf(IActorRef? sender) =>
        sender is null || sender.IsNobody() ? null : PeerAddressOf(sender.Path.Address);

    private static string? PeerAddressOf(Address address) =>
        address.Host is not { } host || address.Port is not { } port ? null
        : host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{port}"
        : $"{host}:{port}";

    private sealed record ReadyPersisted(Ready Ready, bool AppliedEarly, long StartedAt);

    private sealed class ReadyDue
    {
        public static readonly ReadyDue Instance = new();
    }

    private sealed record ReadyPersistFailed(Exception Cause);
}
