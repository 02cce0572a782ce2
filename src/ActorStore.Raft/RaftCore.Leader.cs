using Google.Protobuf;
using Raftpb;

namespace ActorStore.Raft;

internal sealed partial class RaftCore
{
    private bool StepLeader(Message message)
    {
        switch (message.Type)
        {
            case MessageType.MsgBeat:
                BroadcastHeartbeat(_reads.LastContext ?? ByteString.Empty);
                return true;
            case MessageType.MsgCheckQuorum:
                CheckQuorum();
                return true;
            case MessageType.MsgProp:
                return Propose(message);
            case MessageType.MsgReadIndex:
                HandleReadIndexAsLeader(message);
                return true;
        }

        var progress = Tracker.Get(message.From);
        if (progress is null)
        {
            return true;
        }

        switch (message.Type)
        {
            case MessageType.MsgAppResp:
                HandleAppendResponse(message, progress);
                break;
            case MessageType.MsgHeartbeatResp:
                HandleHeartbeatResponse(message, progress);
                break;
            case MessageType.MsgSnapStatus:
                if (progress.State == ProgressState.Snapshot)
                {
                    if (message.Reject)
                    {
                        progress.PendingSnapshot = 0;
                    }

                    progress.BecomeProbe();
                    // Wait for the next heartbeat response before probing, giving the follower time to settle.
                    progress.ProbeSent = true;
                }

                break;
            case MessageType.MsgUnreachable:
                // Pipelined appends were probably lost; fall back to probing.
                if (progress.State == ProgressState.Replicate)
                {
                    progress.BecomeProbe();
                }

                break;
            case MessageType.MsgTransferLeader:
                HandleTransferLeader(message.From, progress);
                break;
        }

        return true;
    }

    private void CheckQuorum()
    {
        if (Tracker.Get(Id) is { } self)
        {
            self.RecentActive = true;
        }

        if (!Tracker.QuorumActive())
        {
            BecomeFollower(Term, 0);
            return;
        }

        foreach (ulong id in Tracker.Ids)
        {
            if (id != Id)
            {
                Tracker.Get(id)!.RecentActive = false;
            }
        }
    }

    private bool Propose(Message message)
    {
        if (message.Entries.Count == 0)
        {
            throw new ArgumentException("raft: a proposal must carry at least one entry");
        }

        if (Tracker.Get(Id) is null || LeadTransferee != 0)
        {
            return false;
        }

        ulong confChangeIndex = 0;
        var entries = new List<Entry>(message.Entries.Count);
        for (int i = 0; i < message.Entries.Count; i++)
        {
            var proposed = message.Entries[i];
            if (proposed.Type is EntryType.EntryConfChange or EntryType.EntryConfChangeV2)
            {
                // One membership change at a time: the previous one must be applied before the next enters the log.
                if (confChangeIndex != 0 || PendingConfIndex > Log.Applied)
                {
                    return false;
                }

                confChangeIndex = Log.LastIndex + (ulong)i + 1;
            }

            // Copies, never the caller's objects: index and term are stamped on them below.
            entries.Add(new Entry { Type = proposed.Type, Data = proposed.Data });
        }

        if (!AppendEntries(entries))
        {
            return false;
        }

        if (confChangeIndex != 0)
        {
            PendingConfIndex = confChangeIndex;
        }

        BroadcastAppend();
        return true;
    }

    private void HandleAppendResponse(Message response, ReplicationProgress progress)
    {
        progress.RecentActive = true;
        if (response.Reject)
        {
            if (progress.MaybeDecreaseTo(response.Index, response.RejectHint))
            {
                if (progress.State == ProgressState.Replicate)
                {
                    progress.BecomeProbe();
                }

                SendAppend(response.From);
            }

            return;
        }

        bool wasPaused = progress.IsPaused;
        if (!progress.MaybeUpdate(response.Index))
        {
            return;
        }

        switch (progress.State)
        {
            case ProgressState.Probe:
                progress.BecomeReplicate();
                break;
            case ProgressState.Snapshot when progress.Match >= progress.PendingSnapshot:
                progress.BecomeProbe();
                progress.BecomeReplicate();
                break;
            case ProgressState.Replicate:
                progress.Inflights.FreeUpTo(response.Index);
                break;
        }

        if (MaybeCommit())
        {
            ReleaseReadsAwaitingCommit();
            BroadcastAppend();
        }
        else if (wasPaused)
        {
            // The window opened up again; the follower may be owed entries (or an empty append) we held back.
            SendAppend(response.From);
        }

        while (MaybeSendAppend(response.From, sendIfEmpty: false))
        {
        }

        if (response.From == LeadTransferee && progress.Match == Log.LastIndex)
        {
            SendTimeoutNow(response.From);
        }
    }

    private void HandleHeartbeatResponse(Message response, ReplicationProgress progress)
    {
        progress.RecentActive = true;
        progress.ProbeSent = false;

        // A full window may be full of lost messages; a live follower earns one more slot.
        if (progress.State == ProgressState.Replicate && progress.Inflights.IsFull)
        {
            progress.Inflights.FreeFirst();
        }

        if (progress.Match < Log.LastIndex)
        {
            SendAppend(response.From);
        }

        if (response.Context.IsEmpty)
        {
            return;
        }

        var acks = _reads.Acknowledge(response.From, response.Context);
        if (acks is null || !Tracker.IsQuorum(acks))
        {
            return;
        }

        foreach (var (index, request) in _reads.Release(response.Context))
        {
            AnswerReadIndex(request, index);
        }
    }

    private void HandleTransferLeader(ulong transferee, ReplicationProgress progress)
    {
        if (progress.IsLearner || transferee == Id)
        {
            return;
        }

        if (LeadTransferee != 0)
        {
            if (LeadTransferee == transferee)
            {
                return;
            }

            LeadTransferee = 0;
        }

        // The transfer must finish within an election timeout or it is abandoned (see TickAsLeader).
        _electionElapsed = 0;
        LeadTransferee = transferee;
        if (progress.Match == Log.LastIndex)
        {
            SendTimeoutNow(transferee);
        }
        else
        {
            SendAppend(transferee);
        }
    }

    private void HandleReadIndexAsLeader(Message request)
    {
        if (Tracker.VoterIds.Count == 1 && Tracker.IsVoter(Id))
        {
            AnswerReadIndex(request, Log.Committed);
            return;
        }

        // Until an entry of this term commits, the leader may not know the true commit index of its predecessors.
        if (!CommittedEntryInCurrentTerm())
        {
            _readsAwaitingCurrentTermCommit.Add(request);
            return;
        }

        ConfirmReadIndex(request);
    }

    private void ConfirmReadIndex(Message request)
    {
        var context = request.Entries[0].Data;
        _reads.Add(Log.Committed, request);
        _reads.Acknowledge(Id, context);
        BroadcastHeartbeat(context);
    }

    private void AnswerReadIndex(Message request, ulong index)
    {
        if (request.From == 0 || request.From == Id)
        {
            ReadStates.Add(new ReadState(index, request.Entries[0].Data));
            return;
        }

        var response = new Message { Type = MessageType.MsgReadIndexResp, To = request.From, Index = index };
        response.Entries.AddRange(request.Entries);
        Send(response);
    }

    private bool CommittedEntryInCurrentTerm() => Log.TermOrZero(Log.Committed) == Term;

    private void ReleaseReadsAwaitingCommit()
    {
        if (_readsAwaitingCurrentTermCommit.Count == 0 || !CommittedEntryInCurrentTerm())
        {
            return;
        }

        var waiting = _readsAwaitingCurrentTermCommit.ToArray();
        _readsAwaitingCurrentTermCommit.Clear();
        foreach (var request in waiting)
        {
            ConfirmReadIndex(request);
        }
    }

    private void BroadcastAppend()
    {
        foreach (ulong id in Tracker.Ids)
        {
            if (id != Id)
            {
                SendAppend(id);
            }
        }
    }

    private void BroadcastHeartbeat(ByteString context)
    {
        foreach (ulong id in Tracker.Ids)
        {
            if (id == Id)
            {
                continue;
            }

            // Never vouch for more than the follower is known to hold.
            ulong commit = Math.Min(Tracker.Get(id)!.Match, Log.Committed);
            Send(new Message { To = id, Type = MessageType.MsgHeartbeat, Commit = commit, Context = context });
        }
    }

    private void SendAppend(ulong to) => MaybeSendAppend(to, sendIfEmpty: true);

    /// <summary>
    /// Sends the follower its next batch of entries (or a snapshot when they were compacted away).
    /// With <paramref name="sendIfEmpty"/> false nothing is sent when there are no new entries.
    /// </summary>
    private bool MaybeSendAppend(ulong to, bool sendIfEmpty)
    {
        var progress = Tracker.Get(to)!;
        if (progress.IsPaused)
        {
            return false;
        }

        ulong prevIndex = progress.Next - 1;
        bool prevKnown = Log.TryTerm(prevIndex, out ulong prevTerm);
        List<Entry>? entries = null;
        if (prevKnown)
        {
            try
            {
                entries = Log.EntriesFrom(progress.Next, _maxMessageSize);
            }
            catch (RaftStorageException e) when (e.Error == RaftStorageError.Compacted)
            {
                entries = null;
            }
        }

        if ((entries is null || entries.Count == 0) && !sendIfEmpty)
        {
            return false;
        }

        if (entries is null)
        {
            return SendSnapshot(to, progress);
        }

        var append = new Message
        {
            Type = MessageType.MsgApp,
            To = to,
            Index = prevIndex,
            LogTerm = prevTerm,
            Commit = Log.Committed,
        };
        append.Entries.AddRange(entries);
        if (entries.Count > 0)
        {
            ulong last = entries[^1].Index;
            if (progress.State == ProgressState.Replicate)
            {
                progress.OptimisticUpdate(last);
                progress.Inflights.Add(last);
            }
            else
            {
                progress.ProbeSent = true;
            }
        }

        Send(append);
        return true;
    }

    private bool SendSnapshot(ulong to, ReplicationProgress progress)
    {
        // Snapshots are expensive: only for members we have heard from lately.
        if (!progress.RecentActive)
        {
            return false;
        }

        Snapshot snapshot;
        try
        {
            snapshot = Log.Snapshot();
        }
        catch (RaftStorageException e) when (e.Error == RaftStorageError.SnapshotTemporarilyUnavailable)
        {
            return false;
        }

        if (snapshot.Metadata is null || snapshot.Metadata.Index == 0)
        {
            throw new InvalidOperationException($"raft: member {to} needs a snapshot but the storage holds none");
        }

        progress.BecomeSnapshot(snapshot.Metadata.Index);
        Send(new Message { Type = MessageType.MsgSnap, To = to, Snapshot = snapshot });
        return true;
    }

    private void SendTimeoutNow(ulong to) => Send(new Message { Type = MessageType.MsgTimeoutNow, To = to });

    /// <summary>Applies a committed membership change (one member at a time) and returns the resulting membership.</summary>
    public ConfState ApplyConfChange(ConfChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.NodeId != 0)
        {
            ulong lastIndex = Log.LastIndex;
            switch (change.Type)
            {
                case ConfChangeType.ConfChangeAddNode:
                    Tracker.AddVoter(change.NodeId, lastIndex);
                    break;
                case ConfChangeType.ConfChangeAddLearnerNode:
                    // Demoting the last voter would leave no one to decide anything.
                    if (!(Tracker.IsVoter(change.NodeId) && Tracker.VoterIds.Count == 1))
                    {
                        Tracker.AddLearner(change.NodeId, lastIndex);
                    }

                    break;
                case ConfChangeType.ConfChangeRemoveNode:
                    if (!(Tracker.IsVoter(change.NodeId) && Tracker.VoterIds.Count == 1))
                    {
                        Tracker.Remove(change.NodeId);
                    }

                    break;
                case ConfChangeType.ConfChangeUpdateNode:
                    // Addresses live with the application; membership is unchanged.
                    break;
            }
        }

        return AfterMembershipChange();
    }

    private ConfState AfterMembershipChange()
    {
        var membership = Tracker.ToConfState();
        var self = Tracker.Get(Id);
        IsLearner = self?.IsLearner ?? false;

        if (Role != RaftRole.Leader)
        {
            return membership;
        }

        if (self is null || self.IsLearner)
        {
            HandOverAfterLosingVote();
            return membership;
        }

        // The quorum changed: something may have become committed, and new members need their first append.
        if (MaybeCommit())
        {
            BroadcastAppend();
        }
        else
        {
            foreach (ulong id in Tracker.Ids)
            {
                if (id != Id)
                {
                    MaybeSendAppend(id, sendIfEmpty: false);
                }
            }
        }

        if (LeadTransferee != 0 && Tracker.Get(LeadTransferee) is null)
        {
            LeadTransferee = 0;
        }

        return membership;
    }

    /// <summary>
    /// This leader was removed or demoted. Staying leader would wedge the group (it must drop every proposal),
    /// so it asks the most up-to-date voter to take over right away and steps down; it never campaigns again.
    /// </summary>
    private void HandOverAfterLosingVote()
    {
        ulong lastIndex = Log.LastIndex;
        foreach (ulong id in Tracker.VoterIds)
        {
            if (Tracker.Get(id)!.Match == lastIndex)
            {
                SendTimeoutNow(id);
                break;
            }
        }

        BecomeFollower(Term, 0);
    }
}
