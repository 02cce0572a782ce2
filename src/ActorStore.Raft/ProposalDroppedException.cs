namespace ActorStore.Raft;

/// <summary>
/// The proposal was not accepted into the log: there is no known leader, leadership is being transferred,
/// forwarding is disabled, the uncommitted-size budget is spent, or a membership change is still pending.
/// The caller may retry later.
/// </summary>
public sealed class ProposalDroppedException(string message) : Exception(message)
{
    public ProposalDroppedException() : this("raft proposal dropped")
    {
    }
}
