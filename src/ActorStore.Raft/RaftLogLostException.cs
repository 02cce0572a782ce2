namespace ActorStore.Raft;

/// <summary>
/// The leader says entries are committed that this member's log does not hold: the log was lost, truncated or
/// damaged (a wiped data dir restarted as a member of its old cluster, say). Nothing this member could do would make
/// it a safe voter again, so, as etcd does, it must stop rather than carry on; the operator removes and re-adds it.
/// </summary>
public sealed class RaftLogLostException(ulong commit, ulong lastIndex)
    : Exception($"tocommit({commit}) is out of range [lastIndex({lastIndex})]. Was the raft log corrupted, truncated, or lost?")
{
    public ulong Commit { get; } = commit;

    public ulong LastIndex { get; } = lastIndex;
}
