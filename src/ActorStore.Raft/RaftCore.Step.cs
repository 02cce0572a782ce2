using Raftpb;

namespace ActorStore.Raft;

internal sealed partial class RaftCore
{
    private enum CampaignKind
    {
        PreElection,
        Election,
        Transfer,
    }

    /// <summary>
    /// Feeds one message (local or from a peer) into the state machine.
    /// Returns false when a proposal was dropped; every other message is always consumed.
    /// </summary>
    public bool Step(Message message)
    {
        if (message.Term > Term && message.Term != 0)
        {
            if (!StepHigherTerm(message))
            {
                return true;
            }
        }
        else if (message.Term < Term && message.Term != 0)
        {
            StepLowerTerm(message);
            return true;
        }

        switch (message.Type)
        {
            case MessageType.MsgHup:
                Hup();
                return true;
            case MessageType.MsgVote:
            case MessageType.MsgPreVote:
                HandleVoteRequest(message);
                return true;
            default:
                return Role switch
                {
                    RaftRole.Leader => StepLeader(message),
                    RaftRole.Candidate or RaftRole.PreCandidate => StepCandidate(message),
                    _ => StepFollower(message),
                };
        }
    }

    /// <summary>Adopts a newer term where appropriate. Returns false when the message is to be ignored.</summary>
    private bool StepHigherTerm(Message message)
    {
        if (message.Type is MessageType.MsgVote or MessageType.MsgPreVote)
        {
            bool forced = message.Context.Equals(TransferCampaignContext);
            bool hearingFromLeader = _checkQuorum && Lead != 0 && _electionElapsed < _electionTimeout;
            if (!forced && hearingFromLeader)
            {
                // A live leader holds a lease: a member that merely lost touch must not depose it.
                return false;
            }
        }

        switch (message.Type)
        {
            case MessageType.MsgPreVote:
                // A pre-vote for a future term changes nothing here.
                break;
            case MessageType.MsgPreVoteResp when !message.Reject:
                // The granted pre-vote carries the term we would campaign in; it is not a newer term we must adopt.
                break;
            default:
                bool fromLeader = message.Type is MessageType.MsgApp or MessageType.MsgHeartbeat or MessageType.MsgSnap;
                BecomeFollower(message.Term, fromLeader ? message.From : 0);
                break;
        }

        return true;
    }

    private void StepLowerTerm(Message message)
    {
        if ((_checkQuorum || _preVote) && message.Type is MessageType.MsgHeartbeat or MessageType.MsgApp)
        {
            // A stale leader cut off by a partition would otherwise never learn of the newer term: with check-quorum
            // or pre-vote this member never pushes its term onto it through a vote request. Tell it.
            Send(new Message { To = message.From, Type = MessageType.MsgAppResp });
        }
        else if (message.Type == MessageType.MsgPreVote)
        {
            // Answer so that the pre-candidate learns the newer term instead of waiting forever.
            Send(new Message { To = message.From, Term = Term, Type = MessageType.MsgPreVoteResp, Reject = true });
        }
    }

    private void Hup()
    {
        if (Role == RaftRole.Leader || !Promotable)
        {
            return;
        }

        // Campaigning before applying a committed membership change could elect a leader under the wrong config.
        if (Log.PendingConfChangesToApply() > 0)
        {
            return;
        }

        Campaign(_preVote ? CampaignKind.PreElection : CampaignKind.Election);
    }

    private void Campaign(CampaignKind kind)
    {
        ulong term;
        MessageType requestType;
        if (kind == CampaignKind.PreElection)
        {
            BecomePreCandidate();
            requestType = MessageType.MsgPreVote;
            term = Term + 1;
        }
        else
        {
            BecomeCandidate();
            requestType = MessageType.MsgVote;
            term = Term;
        }

        Tracker.RecordVote(Id, true);
        if (Tracker.TallyVotes().Outcome == VoteOutcome.Won)
        {
            // Single voter: no one to ask.
            if (kind == CampaignKind.PreElection)
            {
                Campaign(CampaignKind.Election);
            }
            else
            {
                BecomeLeader();
            }

            return;
        }

        ulong lastIndex = Log.LastIndex;
        ulong lastTerm = Log.LastTerm;
        foreach (ulong voter in Tracker.VoterIds)
        {
            if (voter == Id)
            {
                continue;
            }

            var request = new Message
            {
                Type = requestType,
                To = voter,
                Term = term,
                Index = lastIndex,
                LogTerm = lastTerm,
            };
            if (kind == CampaignKind.Transfer)
            {
                request.Context = TransferCampaignContext;
            }

            Send(request);
        }
    }

    private void HandleVoteRequest(Message request)
    {
        var responseType = request.Type == MessageType.MsgVote ? MessageType.MsgVoteResp : MessageType.MsgPreVoteResp;
        bool canVote = Vote == request.From
            || (Vote == 0 && Lead == 0)
            || (request.Type == MessageType.MsgPreVote && request.Term > Term);
        if (canVote && Log.IsUpToDate(request.Index, request.LogTerm))
        {
            // The grant echoes the requested term: a pre-candidate has not adopted it yet.
            Send(new Message { To = request.From, Term = request.Term, Type = responseType });
            if (request.Type == MessageType.MsgVote)
            {
                _electionElapsed = 0;
                Vote = request.From;
            }
        }
        else
        {
            Send(new Message { To = request.From, Term = Term, Type = responseType, Reject = true });
        }
    }

    private bool StepCandidate(Message message)
    {
        var expectedResponse = Role == RaftRole.PreCandidate ? MessageType.MsgPreVoteResp : MessageType.MsgVoteResp;
        switch (message.Type)
        {
            case MessageType.MsgProp:
                return false;
            case MessageType.MsgApp:
                // Same term: someone else won this election.
                BecomeFollower(message.Term, message.From);
                HandleAppendEntries(message);
                break;
            case MessageType.MsgHeartbeat:
                BecomeFollower(message.Term, message.From);
                HandleHeartbeat(message);
                break;
            case MessageType.MsgSnap:
                BecomeFollower(message.Term, message.From);
                HandleSnapshot(message);
                break;
            case var type when type == expectedResponse:
                Tracker.RecordVote(message.From, !message.Reject);
                switch (Tracker.TallyVotes().Outcome)
                {
                    case VoteOutcome.Won when Role == RaftRole.PreCandidate:
                        Campaign(CampaignKind.Election);
                        break;
                    case VoteOutcome.Won:
                        BecomeLeader();
                        BroadcastAppend();
                        break;
                    case VoteOutcome.Lost:
                        BecomeFollower(Term, 0);
                        break;
                }

                break;
        }

        return true;
    }

    private bool StepFollower(Message message)
    {
        switch (message.Type)
        {
            case MessageType.MsgProp:
                if (Lead == 0 || _disableProposalForwarding)
                {
                    return false;
                }

                var forwarded = new Message { Type = MessageType.MsgProp, To = Lead, Context = message.Context };
                forwarded.Entries.AddRange(message.Entries);
                Send(forwarded);
                break;
            case MessageType.MsgApp:
                _electionElapsed = 0;
                Lead = message.From;
                HandleAppendEntries(message);
                break;
            case MessageType.MsgHeartbeat:
                _electionElapsed = 0;
                Lead = message.From;
                HandleHeartbeat(message);
                break;
            case MessageType.MsgSnap:
                _electionElapsed = 0;
                Lead = message.From;
                HandleSnapshot(message);
                break;
            case MessageType.MsgTransferLeader:
                if (Lead != 0)
                {
                    // Keep the requested transferee as the sender: that is whom the leader should hand over to.
                    Outbox.Add(new Message { Type = MessageType.MsgTransferLeader, To = Lead, From = message.From, Term = Term });
                }

                break;
            case MessageType.MsgTimeoutNow:
                if (Promotable)
                {
                    // The leader asked us to take over: skip the pre-vote and override leases.
                    Campaign(CampaignKind.Transfer);
                }

                break;
            case MessageType.MsgReadIndex:
                if (Lead != 0)
                {
                    var forwardedRead = new Message { Type = MessageType.MsgReadIndex, To = Lead };
                    forwardedRead.Entries.AddRange(message.Entries);
                    Send(forwardedRead);
                }

                break;
            case MessageType.MsgReadIndexResp:
                if (message.Entries.Count == 1)
                {
                    ReadStates.Add(new ReadState(message.Index, message.Entries[0].Data));
                }

                break;
        }

        return true;
    }

    private void HandleAppendEntries(Message message)
    {
        if (message.Index < Log.Committed)
        {
            // Everything up to our commit index is settled; tell the leader where we stand.
            Send(new Message { To = message.From, Type = MessageType.MsgAppResp, Index = Log.Committed });
            return;
        }

        if (Log.TryAppend(message.Index, message.LogTerm, message.Commit, message.Entries, out ulong lastNewIndex))
        {
            Send(new Message { To = message.From, Type = MessageType.MsgAppResp, Index = lastNewIndex });
        }
        else
        {
            Send(new Message
            {
                To = message.From,
                Type = MessageType.MsgAppResp,
                Index = message.Index,
                Reject = true,
                RejectHint = Log.LastIndex,
            });
        }
    }

    private void HandleHeartbeat(Message message)
    {
        Log.CommitTo(message.Commit);
        Send(new Message { To = message.From, Type = MessageType.MsgHeartbeatResp, Context = message.Context });
    }

    private void HandleSnapshot(Message message)
    {
        var snapshot = message.Snapshot;
        if (snapshot?.Metadata is not null && RestoreSnapshot(snapshot))
        {
            Send(new Message { To = message.From, Type = MessageType.MsgAppResp, Index = Log.LastIndex });
        }
        else
        {
            Send(new Message { To = message.From, Type = MessageType.MsgAppResp, Index = Log.Committed });
        }
    }

    private bool RestoreSnapshot(Snapshot snapshot)
    {
        var metadata = snapshot.Metadata;
        if (metadata.Index <= Log.Committed)
        {
            return false;
        }

        if (Role != RaftRole.Follower)
        {
            // Only a leader of this term sends snapshots, so a non-follower receiving one is a bug elsewhere; be safe.
            BecomeFollower(Term + 1, 0);
            return false;
        }

        // A snapshot whose membership lacks this member is still accepted: a member that just joined may be sent a
        // snapshot taken before its addition, and learns of itself from the entries that follow.
        var membership = metadata.ConfState ?? new ConfState();
        if (Log.MatchTerm(metadata.Index, metadata.Term))
        {
            // We already hold the snapshot's last entry, hence everything before it: just commit up to there.
            Log.CommitTo(metadata.Index);
            return false;
        }

        Log.Restore(snapshot);
        LoadMembership(membership);
        return true;
    }
}
