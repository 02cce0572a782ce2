using Raftpb;

namespace ActorStore.Raft;

/// <summary>
/// Membership (voters and learners, one-at-a-time changes only), per-member replication progress and election votes.
/// Members are always visited in ascending id order so that runs are reproducible.
/// </summary>
internal sealed class ProgressTracker(int maxInflight)
{
    private readonly Dictionary<ulong, ReplicationProgress> _progress = [];
    private readonly Dictionary<ulong, bool> _votes = [];
    private ulong[] _ids = [];
    private ulong[] _voterIds = [];
    private ulong[] _learnerIds = [];
    private ulong[] _matchScratch = [];

    /// <summary>All members, voters and learners, ascending.</summary>
    public IReadOnlyList<ulong> Ids => _ids;

    public IReadOnlyList<ulong> VoterIds => _voterIds;

    public IReadOnlyList<ulong> LearnerIds => _learnerIds;

    public int Quorum => _voterIds.Length / 2 + 1;

    public ReplicationProgress? Get(ulong id) => _progress.GetValueOrDefault(id);

    public bool IsVoter(ulong id) => _progress.TryGetValue(id, out var progress) && !progress.IsLearner;

    /// <summary>Adds a voter, or promotes a learner. New members are probed from the leader's last index.</summary>
    public void AddVoter(ulong id, ulong lastIndex)
    {
        if (_progress.TryGetValue(id, out var existing))
        {
            existing.IsLearner = false;
        }
        else
        {
            _progress[id] = NewMember(lastIndex, isLearner: false);
        }

        Rebuild();
    }

    /// <summary>Adds a learner, or demotes a voter.</summary>
    public void AddLearner(ulong id, ulong lastIndex)
    {
        if (_progress.TryGetValue(id, out var existing))
        {
            existing.IsLearner = true;
        }
        else
        {
            _progress[id] = NewMember(lastIndex, isLearner: true);
        }

        Rebuild();
    }

    public void Remove(ulong id)
    {
        if (_progress.Remove(id))
        {
            _votes.Remove(id);
            Rebuild();
        }
    }

    public void Clear()
    {
        _progress.Clear();
        _votes.Clear();
        Rebuild();
    }

    public ConfState ToConfState()
    {
        var state = new ConfState();
        state.Voters.AddRange(_voterIds);
        state.Learners.AddRange(_learnerIds);
        return state;
    }

    /// <summary>Highest index replicated on a majority of voters (ulong.MaxValue with no voters, which never matches a term).</summary>
    public ulong CommittedIndex()
    {
        int n = _voterIds.Length;
        if (n == 0)
        {
            return ulong.MaxValue;
        }

        for (int i = 0; i < n; i++)
        {
            _matchScratch[i] = _progress[_voterIds[i]].Match;
        }

        var span = _matchScratch.AsSpan(0, n);
        span.Sort();
        // Ascending order: the element at n - quorum is matched by exactly a quorum (it and everything above it).
        return span[n - Quorum];
    }

    /// <summary>A quorum of voters was heard from recently (the leader marks itself active before asking).</summary>
    public bool QuorumActive()
    {
        int active = 0;
        foreach (ulong id in _voterIds)
        {
            if (_progress[id].RecentActive)
            {
                active++;
            }
        }

        return active >= Quorum;
    }

    /// <summary>True when the given set of members contains a quorum of voters.</summary>
    public bool IsQuorum(IReadOnlySet<ulong> members)
    {
        int count = 0;
        foreach (ulong id in _voterIds)
        {
            if (members.Contains(id))
            {
                count++;
            }
        }

        return count >= Quorum;
    }

    public void ResetVotes() => _votes.Clear();

    /// <summary>Records the first answer of each member in this election; repeats are ignored.</summary>
    public void RecordVote(ulong id, bool granted) => _votes.TryAdd(id, granted);

    public (int Granted, int Rejected, VoteOutcome Outcome) TallyVotes()
    {
        int granted = 0;
        int rejected = 0;
        foreach (ulong id in _voterIds)
        {
            if (_votes.TryGetValue(id, out bool vote))
            {
                if (vote)
                {
                    granted++;
                }
                else
                {
                    rejected++;
                }
            }
        }

        int missing = _voterIds.Length - granted - rejected;
        VoteOutcome outcome = _voterIds.Length == 0 || granted >= Quorum
            ? VoteOutcome.Won
            : granted + missing >= Quorum ? VoteOutcome.Pending : VoteOutcome.Lost;
        return (granted, rejected, outcome);
    }

    private ReplicationProgress NewMember(ulong lastIndex, bool isLearner) =>
        new(match: 0, next: Math.Max(lastIndex, 1), maxInflight, isLearner)
        {
            // A fresh member counts as active so that it can be sent a snapshot right away.
            RecentActive = true,
        };

    private void Rebuild()
    {
        _ids = [.. _progress.Keys.Order()];
        _voterIds = [.. _ids.Where(id => !_progress[id].IsLearner)];
        _learnerIds = [.. _ids.Where(id => _progress[id].IsLearner)];
        _matchScratch = new ulong[_voterIds.Length];
    }
}
