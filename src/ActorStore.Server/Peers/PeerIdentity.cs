namespace ActorStore.Server.Peers;

/// <summary>
/// The cluster and member id this member puts on its peer messages and checks on theirs. A member joining a running
/// cluster starts with both at 0: it adopts the cluster id of the first member that writes to it and learns its own
/// id from the leader's first Raft message.
/// </summary>
public sealed class PeerIdentity(ulong clusterId, ulong memberId)
{
    private long _clusterId = (long)clusterId;
    private long _memberId = (long)memberId;
    private long _lastTransferId;

    public ulong ClusterId => (ulong)Interlocked.Read(ref _clusterId);

    public ulong MemberId => (ulong)Interlocked.Read(ref _memberId);

    /// <summary>
    /// True when <paramref name="clusterId"/> is this member's cluster, or is now: a member without one yet (0) takes
    /// the first it sees. An envelope without a cluster id (0) is never accepted by a member that has one.
    /// </summary>
    public bool TryAdoptClusterId(ulong clusterId) =>
        Interlocked.CompareExchange(ref _clusterId, (long)clusterId, 0) is var previous
        && (previous == 0 || (ulong)previous == clusterId);

    /// <summary>The id a joining member learned from the cluster.</summary>
    public void SetMemberId(ulong memberId) => Interlocked.Exchange(ref _memberId, (long)memberId);

    /// <summary>A new id for a chunked transfer, unique among this member's transfers.</summary>
    public ulong NextTransferId() => (ulong)Interlocked.Increment(ref _lastTransferId);
}
