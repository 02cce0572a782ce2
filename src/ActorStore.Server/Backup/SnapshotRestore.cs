using System.Security.Cryptography;
using ActorStore.Server.Membership;

namespace ActorStore.Server.Backup;

/// <summary>What `actorstore snapshot restore` is asked for (etcdctl's and etcdutl's flags).</summary>
public sealed record SnapshotRestoreRequest(
    string SnapshotPath,
    MemberOptions Member,
    bool SkipHashCheck = false,
    long BumpRevision = 0,
    bool MarkCompacted = false);

/// <summary>
/// Restores a snapshot (etcd 3.4 to 3.6's, or ActorStore's) into a new data dir, as `etcdctl snapshot restore` does for
/// etcd: the sha256 etcd appends is checked, the keyspace, history and leases are kept, the member list becomes the
/// one of --initial-cluster, and the revision can be bumped (and marked compacted) so that clients' watches on the old
/// cluster cannot silently miss what happened in between. The result waits in the data dir as a
/// <see cref="RestoreSeed"/> until the member's first start.
/// </summary>
public static class SnapshotRestore
{
    /// <summary>Restores; throws <see cref="SnapshotRestoreException"/> with etcd's message for a request it refuses.</summary>
    public static EtcdBackendImage Run(SnapshotRestoreRequest request, IProgress<SnapshotProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.MarkCompacted && request.BumpRevision <= 0)
        {
            throw new SnapshotRestoreException("--mark-compacted can only be used with --bump-revision");
        }

        if (request.BumpRevision < 0)
        {
            throw new SnapshotRestoreException("--bump-revision must not be negative");
        }

        var dataDir = request.Member.DataDir;
        if (Path.Exists(dataDir))
        {
            throw new SnapshotRestoreException($"data-dir \"{dataDir}\" exists");
        }

        if (!File.Exists(request.SnapshotPath))
        {
            throw new SnapshotRestoreException($"stat {request.SnapshotPath}: no such file or directory");
        }

        var identity = IdentityStore.Bootstrap(request.Member);
        var members = IdentityStore.InitialMembers(request.Member, identity).Select(member => member with { ClientUrls = [] }).ToArray();
        var scratch = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(dataDir)) ?? ".", $".{Path.GetFileName(dataDir)}.restoring");
        Directory.CreateDirectory(scratch);
        try
        {
            var db = Path.Combine(scratch, "snapshot.db");
            CopyCheckingHash(request.SnapshotPath, db, request.SkipHashCheck, progress);
            progress?.Report(new SnapshotProgress("reading keys", 0, 0));
            var source = ReadOrRefuse(db);
            progress?.Report(new SnapshotProgress("checking history", 0, 0));
            try
            {
                // What the member will build at its first start: a history that cannot be etcd's is refused now.
                _ = ActorStore.Mvcc.MvccStore.FromRecords(source.Records, source.CurrentRevision, source.CompactRevision);
            }
            catch (InvalidDataException e)
            {
                throw new SnapshotRestoreException($"snapshot holds an inconsistent keyspace: {e.Message}");
            }

            var current = source.CurrentRevision + request.BumpRevision;
            var restored = source with
            {
                CurrentRevision = current,
                CompactRevision = request.MarkCompacted ? current : source.CompactRevision,
                ConsistentIndex = (ulong)members.Length,
                Members = members,
                RemovedMembers = [],
                Alarms = [],
            };

            progress?.Report(new SnapshotProgress("writing member data", 0, 0));
            var memberDir = Path.Combine(scratch, "member");
            Directory.CreateDirectory(memberDir);
            using (var seed = new FileStream(Path.Combine(memberDir, RestoreSeed.FileName), FileMode.CreateNew, FileAccess.ReadWrite))
            {
                EtcdBackendFormat.Write(restored, seed);
                seed.Flush(flushToDisk: true);
            }

            File.Delete(db);
            Directory.Move(scratch, dataDir);
            return restored;
        }
        catch
        {
            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }

            throw;
        }
    }

    /// <summary>Copies the database part of a snapshot; etcd appends a sha256 when the size is 32 past a multiple of 512.</summary>
    private static void CopyCheckingHash(string snapshot, string db, bool skipHashCheck, IProgress<SnapshotProgress>? progress)
    {
        using var source = File.OpenRead(snapshot);
        var hasHash = source.Length % 512 == SHA256.HashSizeInBytes;
        if (!hasHash && !skipHashCheck)
        {
            throw new SnapshotRestoreException("snapshot missing hash but --skip-hash-check=false");
        }

        var dbLength = hasHash ? source.Length - SHA256.HashSizeInBytes : source.Length;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using (var target = new FileStream(db, FileMode.CreateNew, FileAccess.Write))
        {
            var buffer = new byte[1 << 16];
            long copied = 0;
            while (copied < dbLength)
            {
                var read = source.Read(buffer, 0, (int)Math.Min(buffer.Length, dbLength - copied));
                if (read == 0)
                {
                    throw new SnapshotRestoreException($"{snapshot} ended early");
                }

                sha.AppendData(buffer, 0, read);
                target.Write(buffer, 0, read);
                copied += read;
                progress?.Report(new SnapshotProgress("checking sha256", copied, dbLength));
            }
        }

        if (hasHash && !skipHashCheck)
        {
            var stored = new byte[SHA256.HashSizeInBytes];
            source.ReadExactly(stored);
            var computed = sha.GetHashAndReset();
            if (!stored.AsSpan().SequenceEqual(computed))
            {
                throw new SnapshotRestoreException($"expected sha256 {Go(stored)}, got {Go(computed)}");
            }
        }
    }

    private static EtcdBackendImage ReadOrRefuse(string db)
    {
        try
        {
            return EtcdBackendReader.Read(db);
        }
        catch (InvalidDataException e)
        {
            throw new SnapshotRestoreException($"snapshot is not an etcd backend database: {e.Message}");
        }
    }

    /// <summary>A byte slice as Go's %v prints it: [1 2 3].</summary>
    private static string Go(byte[] bytes) => "[" + string.Join(' ', bytes) + "]";
}

public sealed class SnapshotRestoreException(string message) : Exception(message);
