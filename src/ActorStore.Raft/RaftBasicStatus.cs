namespace ActorStore.Raft;

/// <summary>A cheap summary of a member's state.</summary>
public sealed record RaftBasicStatus(
    ulong Id,
    ulong Term,
    ulong Vote,
    ulong Commit,
    ulong Applied,
    ulong Lead,
    RaftRole Role,
    ulong LeadTransferee);
