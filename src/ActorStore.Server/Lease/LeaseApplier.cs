using ActorStore.Mvcc;
using ActorStore.Protocol.Errors;
using Etcdserverpb;

namespace ActorStore.Server.Lease;

/// <summary>
/// Lease grants and revocations applied to the state machine, with etcd 3.4's answers. Pure: the lease actors hear
/// of the outcome from the apply actor.
/// </summary>
public sealed class LeaseApplier
{
    /// <summary>etcd's largest TTL, in seconds.</summary>
    public const long MaxTtl = 9_000_000_000;

    private readonly MvccStore _store;

    public LeaseApplier(MvccStore store, LeaseTable leases, long minTtl)
    {
        _store = store;
        Leases = leases;
        MinTtl = minTtl;
    }

    public LeaseTable Leases { get; }

    /// <summary>The shortest TTL a lease gets: one and a half election timeouts, rounded up to seconds, as etcd's.</summary>
    public long MinTtl { get; }

    public static long MinTtlFor(TimeSpan heartbeatInterval, int electionTicks) =>
        (long)Math.Ceiling((3 * electionTicks / 2 * heartbeatInterval).TotalSeconds);

    public LeaseGrantResponse Grant(LeaseGrantRequest request)
    {
        if (request.ID == 0)
        {
            throw EtcdErrors.LeaseNotFound;
        }
        if (request.TTL > MaxTtl)
        {
            throw EtcdErrors.LeaseTTLTooLarge;
        }
        var ttl = Math.Max(request.TTL, MinTtl);
        if (!Leases.Add(request.ID, ttl))
        {
            throw EtcdErrors.LeaseExist;
        }
        return new LeaseGrantResponse { Header = new ResponseHeader { Revision = _store.CurrentRevision }, ID = request.ID, TTL = ttl };
    }

    /// <summary>Deletes the lease's keys in one revision (none when it has no keys) and forgets the lease.</summary>
    public LeaseRevokeResponse Revoke(LeaseRevokeRequest request)
    {
        var lease = Leases.Find(request.ID) ?? throw EtcdErrors.LeaseNotFound;
        if (lease.Keys.Count > 0)
        {
            var keys = lease.Keys.ToArray();
            var txn = _store.BeginWrite();
            try
            {
                foreach (var key in keys)
                {
                    txn.DeleteRange(key.Span, ReadOnlySpan<byte>.Empty);
                }
            }
            finally
            {
                txn.End();
            }
        }
        Leases.Remove(request.ID);
        return new LeaseRevokeResponse { Header = new ResponseHeader { Revision = _store.CurrentRevision } };
    }
}
