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
/// Reads etcd's backend database (a snapshot from etcd 3.4 to 3.6 or from ActorStore, or a member's db file) into an
/// <see cref="EtcdBackendImage"/>: every revision of the key bucket, the compaction revision, the consistent index, the
/// leases, the members and the alarms. Throws <see cref="InvalidDataException"/> for what is not such a database.
/// </summary>
public static class EtcdBackendReader
{
    public static EtcdBackendImage Read(string path)
    {
        using var db = BboltReader.Open(path);
        var records = new List<RevisionRecord>();
        long current = 1;
        foreach (var (key, value) in db.Items("key"u8))
        {
            var revision = ParseRevision(key, out var tombstone);
            current = Math.Max(current, revision.Main);
            var kv = ParseKeyValue(value, revision);
            if (kv.Key.IsEmpty)
            {
                // etcdutl's mark of a bumped revision: no key, only a revision.
                continue;
            }

            records.Add(tombstone
                ? RevisionRecord.Tombstone(kv.Key, revision)
                : RevisionRecord.Put(kv.Key, revision, kv.Value, kv.CreateRevision, kv.Version, kv.Lease));
        }

        var meta = db.Items("meta"u8).ToDictionary(item => Encoding.ASCII.GetString(item.Key), item => item.Value);
        var compacted = meta.TryGetValue("finishedCompactRev", out var finished) ? ParseRevision(finished, out _).Main : -1;
        var consistentIndex = meta.TryGetValue("consistent_index", out var index) && index.Length == 8 ? BinaryPrimitives.ReadUInt64BigEndian(index) : 0;
        var leases = db.Items("lease"u8).Select(item => ParseLease(item.Value)).ToArray();
        var members = db.Items("members"u8).Select(item => ParseMember(item.Value)).ToArray();
        var removed = db.Items("members_removed"u8)
            .Select(item => ulong.Parse(Encoding.ASCII.GetString(item.Key), NumberStyles.HexNumber, CultureInfo.InvariantCulture))
            .ToArray();
        var alarms = db.Items("alarm"u8).Select(item => AlarmMember.Parser.ParseFrom(item.Key)).Select(alarm => (alarm.MemberID, (int)alarm.Alarm)).ToArray();
        var authMeta = db.Items("auth"u8).ToDictionary(item => Encoding.ASCII.GetString(item.Key), item => item.Value);
        var auth = new AuthStore(
            authMeta.TryGetValue("enabled", out var enabled) && enabled is [1],
            authMeta.TryGetValue("authRevision", out var authRevision) && authRevision.Length == 8 ? BinaryPrimitives.ReadUInt64BigEndian(authRevision) : 1,
            db.Items("authUsers"u8).Select(item => Authpb.User.Parser.ParseFrom(item.Value)),
            db.Items("authRoles"u8).Select(item => Authpb.Role.Parser.ParseFrom(item.Value)));
        return new EtcdBackendImage(records, current, compacted, consistentIndex, leases, members, removed, alarms, auth);
    }

    private static Revision ParseRevision(byte[] key, out bool tombstone)
    {
        tombstone = key.Length == Revision.EncodedTombstoneLength && key[^1] == (byte)'t';
        if ((key.Length != Revision.EncodedLength && !tombstone) || key[8] != (byte)'_')
        {
            throw new InvalidDataException($"key bucket: {Convert.ToHexString(key)} is not a revision");
        }

        return new Revision(BinaryPrimitives.ReadInt64BigEndian(key), BinaryPrimitives.ReadInt64BigEndian(key.AsSpan(9)));
    }

    private static KeyValue ParseKeyValue(byte[] value, Revision revision)
    {
        try
        {
            return KeyValue.Parser.ParseFrom(value);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"key bucket: revision {revision} does not hold a KeyValue", e);
        }
    }

    /// <summary>leasepb.Lease: ID (1) and TTL (2), other fields skipped.</summary>
    private static (long Id, long Ttl) ParseLease(byte[] value)
    {
        var input = new CodedInputStream(value);
        long id = 0, ttl = 0;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    id = input.ReadInt64();
                    break;
                case 2:
                    ttl = input.ReadInt64();
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return (id, ttl);
    }

    private static ClusterMember ParseMember(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        string[] Urls(string name) => root.TryGetProperty(name, out var urls)
            ? urls.EnumerateArray().Select(url => url.GetString() ?? "").ToArray()
            : [];
        return new ClusterMember(
            root.GetProperty("id").GetUInt64(),
            root.TryGetProperty("name", out var name) ? name.GetString() ?? "" : "",
            Urls("peerURLs"),
            Urls("clientURLs"),
            root.TryGetProperty("isLearner", out var learner) && learner.GetBoolean());
    }
}
