using Google.Protobuf;
using Raftpb;

namespace ActorStore.Raft;

/// <summary>
/// The Raft state machine proper: terms, roles, elections, replication, commitment, membership and reads.
/// It performs no I/O: everything it wants done lands in <see cref="Outbox"/>, <see cref="ReadStates"/> and the
/// unstable part of <see cref="Log"/>, which <see cref="RaftNode"/> packages into a <see cref="Ready"/>.
/// </summary>
internal sealed partial class RaftCore
{
    /// <summary>Marks vote requests sent on a leader's behalf during a transfer: they override leader leases.</summary>
    private static readonly ByteString TransferCampaignContext = ByteString.CopyFromUtf8("CampaignTransfer");

    private readonly int _electionTimeout;
    private readonly int _heartbeatTimeout;
    private readonly bool _checkQuorum;
    private readonly bool _preVote;
    private readonly bool _disableProposalForwarding;
    private readonly ulong _maxMessageSize;
    private readonly ulong _maxUncommittedSize;
    private readonly IRaftRandom _random;
    private readonly ReadIndexQueue _reads = new();
    private readonly List<Message> _readsAwaitingCurrentTermCommit = [];

    private int _electionElapsed;
    private int _heartbeatElapsed;
    private int _randomizedElectionTimeout;
    private ulong _uncommittedSize;

    public RaftCore(RaftConfig config, IRaftLogStorage storage)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(storage);
        config.Validate();

        Id = config.Id;
        _electionTimeout = config.ElectionTick;
        _heartbeatTimeout = config.HeartbeatTick;
        _checkQuorum = config.CheckQuorum;
        _preVote = config.PreVote;
        _disableProposalForwarding = config.DisableProposalForwarding;
        _maxMessageSize = config.MaxSizePerMsg;
        _maxUncommittedSize = config.MaxUncommittedEntriesSize == 0 ? ulong.MaxValue : config.MaxUncommittedEntriesSize;
        _random = config.Random ?? new SeededRaftRandom(unchecked((int)config.Id ^ (int)(config.Id >> 32)));

        ulong committedBudget = config.MaxCommittedSizePerReady == 0 ? config.MaxSizePerMsg : config.MaxCommittedSizePerReady;
        Log = new RaftLog(storage, committedBudget);
        Tracker = new ProgressTracker(config.MaxInflightMsgs);

        var initial = storage.InitialState();
        var membership = initial.ConfState ?? new ConfState();
        LoadMembership(membership);

        var hardState = initial.HardState ?? new HardState();
        if (hardState.Term != 0 || hardState.Vote != 0 || hardState.Commit != 0)
        {
            if (hardState.Commit < Log.Committed || hardState.Commit > Log.LastIndex)
            {
                throw new InvalidOperationException(
                    $"raft: persisted commit {hardState.Commit} is outside [{Log.Committed}, {Log.LastIndex}]");
            }

            Log.CommitTo(hardState.Commit);
            Term = hardState.Term;
            Vote = hardState.Vote;
        }

        if (config.Applied > 0)
        {
            Log.AppliedTo(config.Applied);
        }

        BecomeFollower(Term, 0);
    }

    public ulong Id { get; }

    public ulong Term { get; private set; }

    /// <summary>Whom this member voted for in <see cref="Term"/> (0: nobody).</summary>
    public ulong Vote { get; private set; }

    /// <summary>The leader this member currently follows (0: unknown).</summary>
    public ulong Lead { get; private set; }

    public RaftRole Role { get; private set; }

    /// <summary>Member leadership is being handed to (leader only; 0: none).</summary>
    public ulong LeadTransferee { get; private set; }

    /// <summary>Log index of the latest membership change proposed by this leader; a new one waits until it is applied.</summary>
    public ulong PendingConfIndex { get; private set; }

    public bool IsLearner { get; private set; }

    public RaftLog Log { get; }

    public ProgressTracker Tracker { get; }

    /// <summary>Messages produced since the last Ready.</summary>
    public List<Message> Outbox { get; } = [];

    /// <summary>Confirmed read indexes produced since the last Ready.</summary>
    public List<ReadState> ReadStates { get; } = [];

    public HardState HardState => new() { Term = Term, Vote = Vote, Commit = Log.Committed };

    public SoftState SoftState => new(Lead, Role);

    public bool SoftStateEquals(SoftState other) => other.Lead == Lead && other.Role == Role;

    public bool HardStateEquals(HardState other) =>
        other.Term == Term && other.Vote == Vote && other.Commit == Log.Committed;

    /// <summary>A voting member may campaign; learners and removed members may not.</summary>
    public bool Promotable => Tracker.Get(Id) is { IsLearner: false };

    public void Tick()
    {
        if (Role == RaftRole.Leader)
        {
            TickAsLeader();
        }
        else
        {
            TickAsNonLeader();
        }
    }

    private void TickAsNonLeader()
    {
        _electionElapsed++;
        if (Promotable && _electionElapsed >= _randomizedElectionTimeout)
        {
            _electionElapsed = 0;
            Step(new Message { Type = MessageType.MsgHup, From = Id });
        }
    }

    private void TickAsLeader()
    {
        _heartbeatElapsed++;
        _electionElapsed++;

        if (_electionElapsed >= _electionTimeout)
        {
            _electionElapsed = 0;
            if (_checkQuorum)
            {
                Step(new Message { Type = MessageType.MsgCheckQuorum, From = Id });
            }

            // A transfer that has not finished within an election timeout is abandoned so proposals flow again.
            if (Role == RaftRole.Leader && LeadTransferee != 0)
            {
                LeadTransferee = 0;
            }
        }

        if (Role != RaftRole.Leader)
        {
            return;
        }

        if (_heartbeatElapsed >= _heartbeatTimeout)
        {
            _heartbeatElapsed = 0;
            Step(new Message { Type = MessageType.MsgBeat, From = Id });
        }
    }

    private void BecomeFollower(ulong term, ulong lead)
    {
        Reset(term);
        Lead = lead;
        Role = RaftRole.Follower;
    }

    private void BecomeCandidate()
    {
        if (Role == RaftRole.Leader)
        {
            throw new InvalidOperationException("raft: invalid transition from leader to candidate");
        }

        Reset(Term + 1);
        Vote = Id;
        Role = RaftRole.Candidate;
    }

    private void BecomePreCandidate()
    {
        if (Role == RaftRole.Leader)
        {
            throw new InvalidOperationException("raft: invalid transition from leader to pre-candidate");
        }

        // Term and vote stay as they are: a pre-election changes nothing durable.
        Tracker.ResetVotes();
        Lead = 0;
        Role = RaftRole.PreCandidate;
    }

    private void BecomeLeader()
    {
        if (Role == RaftRole.Follower)
        {
            throw new InvalidOperationException("raft: invalid transition from follower to leader");
        }

        Reset(Term);
        Lead = Id;
        Role = RaftRole.Leader;
        Tracker.Get(Id)!.BecomeReplicate();

        // Entries from earlier terms may hide a membership change that is not applied yet; be conservative.
        PendingConfIndex = Log.LastIndex;

        // An entry of the new term lets earlier-term entries commit and tells followers who leads.
        if (!AppendEntries([new Entry { Type = EntryType.EntryNormal }]))
        {
            throw new InvalidOperationException("raft: the leader's empty entry was refused");
        }
    }

    private void Reset(ulong term)
    {
        if (Term != term)
        {
            Term = term;
            Vote = 0;
        }

        Lead = 0;
        _electionElapsed = 0;
        _heartbeatElapsed = 0;
        _randomizedElectionTimeout = _electionTimeout + _random.Next(_electionTimeout);
        LeadTransferee = 0;
        Tracker.ResetVotes();

        ulong lastIndex = Log.LastIndex;
        foreach (ulong id in Tracker.Ids)
        {
            var progress = Tracker.Get(id)!;
            progress.ResetForNewTerm(id == Id ? Log.StableLastIndex : 0, lastIndex + 1);
        }

        PendingConfIndex = 0;
        _uncommittedSize = 0;
        _reads.Clear();
        _readsAwaitingCurrentTermCommit.Clear();
    }

    private void LoadMembership(ConfState membership)
    {
        Tracker.Clear();
        ulong lastIndex = Log.LastIndex;
        foreach (ulong id in membership.Voters)
        {
            Tracker.AddVoter(id, lastIndex);
        }

        foreach (ulong id in membership.Learners)
        {
            Tracker.AddLearner(id, lastIndex);
        }

        IsLearner = Tracker.Get(Id)?.IsLearner ?? false;
    }

    /// <summary>Queues a message, stamping the sender and (except for proposals and read requests) the current term.</summary>
    private void Send(Message message)
    {
        message.From = Id;
        if (message.Type is MessageType.MsgVote or MessageType.MsgVoteResp or MessageType.MsgPreVote or MessageType.MsgPreVoteResp)
        {
            // Election traffic carries the term it is about, which may differ from ours (pre-votes).
            if (message.Term == 0)
            {
                throw new InvalidOperationException($"raft: {message.Type} must carry a term");
            }
        }
        else if (message.Type is not (MessageType.MsgProp or MessageType.MsgReadIndex))
        {
            message.Term = Term;
        }

        Outbox.Add(message);
    }

    private bool AppendEntries(List<Entry> entries)
    {
        ulong lastIndex = Log.LastIndex;
        ulong payload = 0;
        for (int i = 0; i < entries.Count; i++)
        {
            entries[i].Term = Term;
            entries[i].Index = lastIndex + 1 + (ulong)i;
            payload += (ulong)entries[i].Data.Length;
        }

        // The first proposal always fits, so an oversized single entry cannot wedge the leader.
        if (_uncommittedSize > 0 && payload > _maxUncommittedSize - _uncommittedSize)
        {
            return false;
        }

        _uncommittedSize += payload;
        Log.Append(entries);

        // The leader's own copy only counts towards a quorum once it is durable: see AcknowledgePersisted.
        return true;
    }

    /// <summary>Called from Advance: the shell has made the Ready durable and applied its committed entries.</summary>
    public void AcknowledgeReady(Ready ready)
    {
        ulong appliedCursor = ready.CommittedEntries.Count > 0
            ? ready.CommittedEntries[^1].Index
            : ready.Snapshot?.Metadata.Index ?? 0;
        if (appliedCursor > 0)
        {
            Log.AppliedTo(appliedCursor);
        }

        ulong appliedPayload = 0;
        foreach (var entry in ready.CommittedEntries)
        {
            appliedPayload += (ulong)entry.Data.Length;
        }

        _uncommittedSize = appliedPayload >= _uncommittedSize ? 0 : _uncommittedSize - appliedPayload;

        if (ready.Entries.Count > 0)
        {
            var last = ready.Entries[^1];
            Log.StableTo(last.Index, last.Term);
        }

        if (ready.Snapshot is not null)
        {
            Log.StableSnapshotTo(ready.Snapshot.Metadata.Index);
        }

        if (Role == RaftRole.Leader && Tracker.Get(Id) is { } self && self.MaybeUpdate(Log.StableLastIndex))
        {
            if (MaybeCommit())
            {
                ReleaseReadsAwaitingCommit();
                BroadcastAppend();
            }
        }
    }

    private bool MaybeCommit() => Log.MaybeCommit(Tracker.CommittedIndex(), Term);

    public RaftBasicStatus BasicStatus() =>
        new(Id, Term, Vote, Log.Committed, Log.Applied, Lead, Role, LeadTransferee);

    public RaftStatus Status()
    {
        var progress = new Dictionary<ulong, PeerProgress>();
        if (Role == RaftRole.Leader)
        {
            foreach (ulong id in Tracker.Ids)
            {
                progress[id] = Tracker.Get(id)!.ToPublic();
            }
        }

        return new RaftStatus(BasicStatus(), [.. Tracker.VoterIds], [.. Tracker.LearnerIds], progress);
    }
}
