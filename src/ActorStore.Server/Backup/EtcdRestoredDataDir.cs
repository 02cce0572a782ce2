using System.Globalization;
using ActorStore.Server.Membership;
using Microsoft.Extensions.Logging;

namespace ActorStore.Server.Backup;

/// <summary>
/// Takes in a data dir that `etcdctl snapshot restore` made (member/snap/db, one term-1 .snap at index N, one .wal, and
/// a db whose consistent index is N, the number of restored members: the marks of a restore no etcd has started on
/// yet), as etcd would start on it: the db becomes the member's <see cref="RestoreSeed"/>, with the members of
/// --initial-cluster, and etcd's files move to member/etcd-restore, kept. Any other etcd data dir is left untouched
/// (and refused by the data dir check).
/// </summary>
public static class EtcdRestoredDataDir
{
    public const string KeptDirectoryName = "etcd-restore";

    /// <summary>True when the data dir was such a restore and is now ready for the member's first start.</summary>
    public static bool TryAdopt(MemberOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var memberDir = Path.Combine(options.DataDir, "member");
        var snapDir = Path.Combine(memberDir, "snap");
        var walDir = Path.Combine(memberDir, "wal");
        var db = Path.Combine(snapDir, "db");
        if (!File.Exists(db) || !Directory.Exists(walDir)
            || Directory.GetFiles(snapDir, "*.snap") is not [var snap] || Directory.GetFiles(walDir, "*.wal") is not [_]
            || !TryParseSnapName(Path.GetFileName(snap), out var term, out var index) || term != 1)
        {
            return false;
        }

        EtcdBackendImage image;
        try
        {
            image = EtcdBackendReader.Read(db);
        }
        catch (InvalidDataException)
        {
            return false;
        }

        var members = IdentityStore.InitialMembers(options, IdentityStore.Bootstrap(options)).Select(member => member with { ClientUrls = [] }).ToArray();
        if (image.ConsistentIndex != index || (ulong)members.Length != index)
        {
            return false;
        }

        var seed = RestoreSeed.PathIn(options.DataDir);
        if (!File.Exists(seed))
        {
            var partial = seed + ".part";
            using (var file = new FileStream(partial, FileMode.Create, FileAccess.ReadWrite))
            {
                EtcdBackendFormat.Write(image with { Members = members, RemovedMembers = [], Alarms = [] }, file);
                file.Flush(flushToDisk: true);
            }

            File.Move(partial, seed);
        }

        var kept = Path.Combine(memberDir, KeptDirectoryName);
        Directory.CreateDirectory(kept);
        Directory.Move(snapDir, Path.Combine(kept, "snap"));
        Directory.Move(walDir, Path.Combine(kept, "wal"));
        logger.LogInformation(
            "taking in the data dir made by etcdctl snapshot restore {data-dir} {revision} {kept}",
            options.DataDir, image.CurrentRevision, kept);
        return true;
    }

    /// <summary>etcd names snapshots "%016x-%016x.snap" after their term and index.</summary>
    private static bool TryParseSnapName(string name, out ulong term, out ulong index)
    {
        term = index = 0;
        return name.Length == 38 && name[16] == '-' && name.EndsWith(".snap", StringComparison.Ordinal)
            && ulong.TryParse(name.AsSpan(0, 16), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out term)
            && ulong.TryParse(name.AsSpan(17, 16), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out index);
    }
}
