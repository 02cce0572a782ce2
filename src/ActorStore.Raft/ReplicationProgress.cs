namespace ActorStore.Raft;

/// <summary>The leader's mutable bookkeeping for one member (including itself).</summary>
internal sealed class ReplicationProgress(ulong match, ulong next, int maxInflight, bool isLearner)
{
    /// <summary>Highest index known to be replicated (and durable) on the member.</summary>
    public ulong Match { get; set; } = match;

    /// <summary>Index of the next entry to send.</summary>
    public ulong Next { get; set; } = next;

    public ProgressState State { get; private set; } = ProgressState.Probe;

    /// <summary>Index of the snapshot in flight while in <see cref="ProgressState.Snapshot"/>.</summary>
    public ulong PendingSnapshot { get; set; }

    /// <summary>Heard from since the last quorum check.</summary>
    public bool RecentActive { get; set; }

    /// <summary>In probe state: an append is outstanding, so hold further appends until an answer or heartbeat response.</summary>
    public bool ProbeSent { get; set; }

    public bool IsLearner { get; set; } = isLearner;

    public InflightWindow Inflights { get; } = new(maxInflight);

    public bool IsPaused => State switch
    {
        ProgressState.Probe => ProbeSent,
        ProgressState.Replicate => Inflights.IsFull,
        _ => true,
    };

    public void BecomeProbe()
    {
        // After a snapshot, resume right behind it even if the follower has not acknowledged it yet.
        ulong resumeAfter = State == ProgressState.Snapshot ? Math.Max(Match, PendingSnapshot) : Match;
        ResetState(ProgressState.Probe);
        Next = resumeAfter + 1;
    }

    public void BecomeReplicate()
    {
        ResetState(ProgressState.Replicate);
        Next = Match + 1;
    }

    public void BecomeSnapshot(ulong snapshotIndex)
    {
        ResetState(ProgressState.Snapshot);
        PendingSnapshot = snapshotIndex;
    }

    /// <summary>Records an acknowledgement up to <paramref name="index"/>; true when Match moved forward.</summary>
    public bool MaybeUpdate(ulong index)
    {
        bool updated = false;
        if (Match < index)
        {
            Match = index;
            ProbeSent = false;
            updated = true;
        }

        if (Next < index + 1)
        {
            Next = index + 1;
        }

        return updated;
    }

    /// <summary>Pipelining: assume the append up to <paramref name="lastSent"/> will succeed.</summary>
    public void OptimisticUpdate(ulong lastSent) => Next = lastSent + 1;

    /// <summary>
    /// Handles a rejected append for <paramref name="rejectedIndex"/>; the follower's last index is <paramref name="followerLastIndex"/>.
    /// False when the rejection is stale (answers an older probe) and should be ignored.
    /// </summary>
    public bool MaybeDecreaseTo(ulong rejectedIndex, ulong followerLastIndex)
    {
        if (State == ProgressState.Replicate)
        {
            if (rejectedIndex <= Match)
            {
                return false;
            }

            Next = Match + 1;
            return true;
        }

        if (Next - 1 != rejectedIndex)
        {
            return false;
        }

        Next = Math.Max(1, Math.Min(rejectedIndex, followerLastIndex + 1));
        ProbeSent = false;
        return true;
    }

    public void ResetForNewTerm(ulong match, ulong next)
    {
        ResetState(ProgressState.Probe);
        Match = match;
        Next = next;
        RecentActive = false;
    }

    public PeerProgress ToPublic() =>
        new(Match, Next, State, IsLearner, RecentActive, IsPaused, PendingSnapshot, Inflights.Count);

    private void ResetState(ProgressState state)
    {
        ProbeSent = false;
        PendingSnapshot = 0;
        State = state;
        Inflights.Reset();
    }
}
