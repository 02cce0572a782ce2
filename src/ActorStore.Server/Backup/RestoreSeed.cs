using ActorStore.Mvcc;
using ActorStore.Server.Auth;
using ActorStore.Server.Lease;

namespace ActorStore.Server.Backup;

/// <summary>
/// A restored snapshot waiting in a new data dir (&lt;data-dir&gt;/member/restore.db, written by `actorstore snapshot
/// restore`): the keyspace, leases, users and roles a founding member starts with instead of an empty store. It is read once, when
/// the member bootstraps, and removed once the bootstrap is durable.
/// </summary>
public static class RestoreSeed
{
    public const string FileName = "restore.db";

    public static string PathIn(string dataDir) => Path.Combine(dataDir, "member", FileName);

    /// <summary>
    /// The restored keyspace and leases, or an empty store and no leases when there is no seed. A seed restored for
    /// other members than <paramref name="members"/> (another --initial-cluster or token) is refused.
    /// </summary>
    public static (MvccStore Store, LeaseTable Leases, AuthStore Auth, bool Restored) Load(string dataDir, IEnumerable<ulong> members)
    {
        var path = PathIn(dataDir);
        if (!File.Exists(path))
        {
            return (new MvccStore(), new LeaseTable(), new AuthStore(), false);
        }

        var image = EtcdBackendReader.Read(path);
        var restoredFor = image.Members.Select(static member => member.Id).Order().ToArray();
        if (!restoredFor.SequenceEqual(members.Order()))
        {
            throw new InvalidOperationException(
                $"{path} was restored for members {string.Join(",", restoredFor.Select(EtcdBackendFormat.HexId))}; start the member with the --initial-cluster and --initial-cluster-token given to the restore");
        }

        var store = MvccStore.FromRecords(image.Records, image.CurrentRevision, image.CompactRevision);
        var leases = new LeaseTable();
        foreach (var (id, ttl) in image.Leases)
        {
            leases.Add(id, ttl);
        }

        leases.AttachKeysOf(store);
        return (store, leases, image.Auth ?? new AuthStore(), true);
    }

    public static void Consumed(string dataDir) => File.Delete(PathIn(dataDir));
}
