namespace ActorStore.Raft;

/// <summary>The role a member plays in its current term.</summary>
public enum RaftRole
{
    Follower = 0,
    Candidate = 1,
    Leader = 2,
    /// <summary>Probing whether an election could be won before disturbing anyone with a real term bump.</summary>
    PreCandidate = 3,
}
