using ActorStore.Mvcc;
using ActorStore.Server.Apply;
using ActorStore.Server.Auth;
using ActorStore.Server.Membership;

namespace ActorStore.Server.Backup;

/// <summary>
/// A point-in-time copy of what etcd keeps in its backend database, taken on the apply actor between two applied
/// entries. Records are immutable, so the keyspace's copy is an <see cref="MvccStoreImage"/> (a list of references, as
/// for Raft snapshots), and writing it out can take its time while the member goes on applying.
/// </summary>
public sealed record EtcdBackendImage(
    IReadOnlyList<RevisionRecord> Records,
    long CurrentRevision,
    long CompactRevision,
    ulong ConsistentIndex,
    IReadOnlyList<(long Id, long Ttl)> Leases,
    IReadOnlyList<ClusterMember> Members,
    IReadOnlyList<ulong> RemovedMembers,
    IReadOnlyList<(ulong MemberId, int Alarm)> Alarms,
    AuthStore? Auth = null)
{
    public static EtcdBackendImage Capture(ApplyView view) => Capture(view, view.Store.Capture());

    private static EtcdBackendImage Capture(ApplyView view, MvccStoreImage keyspace) => new(
        keyspace.Records,
        keyspace.CurrentRevision,
        keyspace.CompactRevision,
        view.AppliedIndex,
        view.Leases.Leases.Select(static lease => (lease.Id, lease.Ttl)).OrderBy(static lease => (ulong)lease.Id).ToArray(),
        view.Membership.Members.ToArray(),
        view.Membership.RemovedIds.Order().ToArray(),
        view.Membership.Alarms(0).ToArray(),
        // Users and roles are few; copies keep the image still while the store goes on changing.
        new AuthStore(view.Auth.Enabled, view.Auth.Revision, view.Auth.Users.Select(static user => user.Clone()), view.Auth.Roles.Select(static role => role.Clone())));
}
