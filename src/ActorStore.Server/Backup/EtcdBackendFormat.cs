using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ActorStore.Mvcc;
using ActorStore.Server.Auth;
using ActorStore.Server.Backup.Bbolt;
using ActorStore.Server.Membership;
using Etcdserverpb;
using Google.Protobuf;
using Mvccpb;

namespace ActorStore.Server.Backup;

/// <summary>
/// etcd 3.4's backend database as bbolt buckets: "key" maps each revision (8-byte main, '_', 8-byte sub, and 't' for
/// a deletion) to the mvccpb.KeyValue; "meta" holds the consistent index and the compaction revisions; "lease" the
/// leasepb.Lease of each lease by its 8-byte id; "members" the JSON of each member by its hex id; "alarm" each raised
/// alarm's AlarmMember; "cluster" the cluster version; "auth" the auth revision and enabled flag; "authUsers" and
/// "authRoles" each user's and role's authpb message by name. What `etcdctl snapshot status` and
/// `etcdctl snapshot restore` read.
/// </summary>
public static class EtcdBackendFormat
{
    public const string ClusterVersion = "3.4.0";

    public static ReadOnlySpan<byte> ConsistentIndexKey => "consistent_index"u8;

    public static ReadOnlySpan<byte> FinishedCompactKey => "finishedCompactRev"u8;

    public static ReadOnlySpan<byte> ScheduledCompactKey => "scheduledCompactRev"u8;

    /// <summary>Writes <paramref name="image"/> as a bbolt database to <paramref name="file"/> (seekable; written from its current start).</summary>
    public static void Write(EtcdBackendImage image, Stream file)
    {
        ArgumentNullException.ThrowIfNull(image);
        var writer = new BboltWriter(file);
        writer.AddBucket("alarm"u8, image.Alarms
            .Select(static raised => new AlarmMember { MemberID = raised.MemberId, Alarm = (AlarmType)raised.Alarm }.ToByteArray())
            .Order(ByteArrayOrder.Instance)
            .Select(static key => Item(key, [])));
        var auth = image.Auth ?? new AuthStore();
        var authBucket = new List<KeyValuePair<byte[], byte[]>> { Item("authRevision"u8.ToArray(), BigEndian(auth.Revision)) };
        if (auth.Enabled)
        {
            // etcd writes the flag when auth is first enabled: 1 on, 0 off.
            authBucket.Add(Item("enabled"u8.ToArray(), [1]));
        }

        writer.AddBucket("auth"u8, authBucket);
        writer.AddBucket("authRoles"u8, auth.Roles
            .Select(static role => Item(role.Name.ToByteArray(), role.ToByteArray()))
            .OrderBy(static item => item.Key, ByteArrayOrder.Instance));
        writer.AddBucket("authUsers"u8, auth.Users
            .Select(static user => Item(user.Name.ToByteArray(), user.ToByteArray()))
            .OrderBy(static item => item.Key, ByteArrayOrder.Instance));
        writer.AddBucket("cluster"u8, [Item("clusterVersion"u8.ToArray(), Encoding.ASCII.GetBytes(ClusterVersion))]);
        writer.AddBucket("key"u8, KeyBucket(image));
        writer.AddBucket("lease"u8, image.Leases.Select(static lease => Item(BigEndian((ulong)lease.Id), LeaseValue(lease.Id, lease.Ttl))));
        writer.AddBucket("members"u8, image.Members
            .Select(static member => (Key: Encoding.ASCII.GetBytes(HexId(member.Id)), Member: member))
            .OrderBy(static entry => entry.Key, ByteArrayOrder.Instance)
            .Select(static entry => Item(entry.Key, MemberJson(entry.Member))));
        writer.AddBucket("members_removed"u8, image.RemovedMembers
            .Select(static id => Encoding.ASCII.GetBytes(HexId(id)))
            .Order(ByteArrayOrder.Instance)
            .Select(static key => Item(key, "removed"u8.ToArray())));
        var meta = new List<KeyValuePair<byte[], byte[]>> { Item(ConsistentIndexKey.ToArray(), BigEndian(image.ConsistentIndex)) };
        if (image.CompactRevision > 0)
        {
            var compacted = RevisionBytes(new Revision(image.CompactRevision, 0), tombstone: false);
            meta.Add(Item(FinishedCompactKey.ToArray(), compacted));
            meta.Add(Item(ScheduledCompactKey.ToArray(), compacted));
        }

        writer.AddBucket("meta"u8, meta);
        writer.Finish();
    }

    /// <summary>
    /// The records, and when the current revision is past the last of them (a revision bumped on restore), an entry
    /// with an empty value at the current revision, as etcdutl marks a bumped revision, so that it survives a restore.
    /// </summary>
    private static IEnumerable<KeyValuePair<byte[], byte[]>> KeyBucket(EtcdBackendImage image)
    {
        foreach (var record in image.Records)
        {
            yield return Item(RevisionKey(record), KeyValueOf(record).ToByteArray());
        }

        var last = image.Records.Count > 0 ? image.Records[^1].Revision.Main : 1;
        if (image.CurrentRevision > last)
        {
            yield return Item(RevisionBytes(new Revision(image.CurrentRevision, 0), tombstone: false), []);
        }
    }

    /// <summary>The key bucket's key of a record: its revision, with 't' appended for a deletion.</summary>
    public static byte[] RevisionKey(RevisionRecord record) => RevisionBytes(record.Revision, record.IsTombstone);

    /// <summary>etcd stores a deletion as a KeyValue that holds only the key.</summary>
    public static KeyValue KeyValueOf(RevisionRecord record) =>
        record.IsTombstone ? new KeyValue { Key = record.Key } : record.ToKeyValue();

    public static string HexId(ulong id) => id.ToString("x", CultureInfo.InvariantCulture);

    internal static byte[] RevisionBytes(Revision revision, bool tombstone)
    {
        var bytes = new byte[tombstone ? Revision.EncodedTombstoneLength : Revision.EncodedLength];
        revision.Encode(bytes, tombstone);
        return bytes;
    }

    /// <summary>leasepb.Lease: ID (1) and TTL (2); RemainingTTL (3) only with lease checkpoints, which are off.</summary>
    private static byte[] LeaseValue(long id, long ttl)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        output.WriteTag(1, WireFormat.WireType.Varint);
        output.WriteInt64(id);
        output.WriteTag(2, WireFormat.WireType.Varint);
        output.WriteInt64(ttl);
        output.Flush();
        return buffer.ToArray();
    }

    /// <summary>The member as etcd 3.4 marshals its Member struct: id, peerURLs, isLearner, name, clientURLs (empty ones left out).</summary>
    private static byte[] MemberJson(ClusterMember member)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("id", member.Id);
            json.WriteStartArray("peerURLs");
            foreach (var url in member.PeerUrls)
            {
                json.WriteStringValue(url);
            }

            json.WriteEndArray();
            if (member.IsLearner)
            {
                json.WriteBoolean("isLearner", true);
            }

            if (member.Name.Length > 0)
            {
                json.WriteString("name", member.Name);
            }

            if (member.ClientUrls.Count > 0)
            {
                json.WriteStartArray("clientURLs");
                foreach (var url in member.ClientUrls)
                {
                    json.WriteStringValue(url);
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static byte[] BigEndian(ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes;
    }

    private static KeyValuePair<byte[], byte[]> Item(byte[] key, byte[] value) => new(key, value);
}
