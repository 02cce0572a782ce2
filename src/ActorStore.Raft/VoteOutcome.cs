namespace ActorStore.Raft;

internal enum VoteOutcome
{
    Pending = 0,
    Won = 1,
    Lost = 2,
}
