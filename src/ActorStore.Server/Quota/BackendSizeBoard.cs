namespace ActorStore.Server.Quota;

/// <summary>
/// The member's backend size as etcd reports it: <see cref="InUse"/> is what the keyspace and leases take now,
/// <see cref="Total"/> the most they took since the last defragment (a bbolt file keeps its freed pages until
/// then). Written by the apply actor only; read by anyone (status, metrics, the quota check).
/// </summary>
public sealed class BackendSizeBoard
{
    private long _total;
    private long _inUse;

    public long Total => Volatile.Read(ref _total);

    public long InUse => Volatile.Read(ref _inUse);

    /// <summary>A new figure for what is in use; the total only grows with it.</summary>
    internal void Observe(long inUse)
    {
        Volatile.Write(ref _inUse, inUse);
        if (inUse > _total)
        {
            Volatile.Write(ref _total, inUse);
        }
    }

    /// <summary>A defragment gives the freed space back: the total becomes what is in use.</summary>
    internal void Defragmented() => Volatile.Write(ref _total, Volatile.Read(ref _inUse));
}
