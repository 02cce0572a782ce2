using System.Buffers.Binary;
using ActorStore.Persistence;
using ActorStore.Server.Backup.Bbolt;

namespace ActorStore.Server.Backup;

/// <summary>
/// What `etcdctl snapshot status` reports of a snapshot file: a CRC-32C over every bucket's name, keys and values, the
/// revision of the key bucket's last entry, the number of keys across all buckets, and the database's size in pages.
/// </summary>
public sealed record SnapshotStatus(uint Hash, long Revision, long TotalKey, long TotalSize)
{
    public static SnapshotStatus Of(string path)
    {
        using var db = BboltReader.Open(path);
        uint hash = 0;
        long revision = 0;
        long totalKey = 0;
        foreach (var bucket in db.BucketNames())
        {
            hash = Crc32C.Append(hash, bucket);
            var isKeyBucket = bucket.AsSpan().SequenceEqual("key"u8);
            foreach (var (key, value) in db.Items(bucket))
            {
                hash = Crc32C.Append(hash, key);
                hash = Crc32C.Append(hash, value);
                if (isKeyBucket && key.Length >= 8)
                {
                    revision = BinaryPrimitives.ReadInt64BigEndian(key);
                }

                totalKey++;
            }
        }

        return new SnapshotStatus(hash, revision, totalKey, (long)db.PageCount * db.PageSize);
    }
}
