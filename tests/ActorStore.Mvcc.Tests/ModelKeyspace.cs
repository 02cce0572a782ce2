using ActorStore.Persistence;
using Google.Protobuf;
using System.Text;
using ActorStore.Protocol.Errors;
using Mvccpb;

namespace ActorStore.Mvcc.Tests;

/// <summary>
/// The obvious, slow model of an MVCC key space: every change ever made, in revision order. Keys are Latin-1 strings,
/// so ordinal string order is byte order. Compaction only moves the compact revision; reads before it fail.
/// </summary>
internal sealed class ModelKeyspace
{
    public static readonly Encoding Latin1 = Encoding.Latin1;

    public List<ModelRecord> Records { get; } = [];

    public long Current { get; private set; } = 1;

    public long Compacted { get; private set; } = -1;

    public ModelRecord? Latest(string key, long atRevision)
    {
        for (var i = Records.Count - 1; i >= 0; i--)
        {
            var record = Records[i];
            if (record.Main <= atRevision && record.Key == key)
            {
                return record;
            }
        }

        return null;
    }

    /// <summary>Applies one write transaction; returns false when it changed nothing.</summary>
    public bool Write(IEnumerable<ModelWrite> writes)
    {
        var main = Current + 1;
        var sub = 0;
        foreach (var write in writes)
        {
            if (write.Value is not null)
            {
                var previous = Latest(write.Key, main);
                var live = previous is { IsDelete: false };
                Records.Add(new ModelRecord(main, sub++, write.Key, write.Value, write.Lease,
                    live ? previous!.Create : main, live ? previous!.Version + 1 : 1));
                continue;
            }

            foreach (var key in LiveKeys(write.Key, write.RangeEnd, main))
            {
                Records.Add(new ModelRecord(main, sub++, key, null, 0, 0, 0));
            }
        }

        if (sub == 0)
        {
            return false;
        }

        Current = main;
        return true;
    }

    public List<string> LiveKeys(string key, string rangeEnd, long atRevision)
    {
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var record in Records)
        {
            if (InRange(record.Key, key, rangeEnd))
            {
                keys.Add(record.Key);
            }
        }

        return keys.Where(k => Latest(k, atRevision) is { IsDelete: false }).ToList();
    }

    public (List<ModelRecord> Kvs, long Count, long Revision) Range(string key, string rangeEnd, long revision, long limit)
    {
        if (revision > Current)
        {
            throw EtcdErrors.FutureRev;
        }

        if (revision <= 0)
        {
            revision = Current;
        }

        if (revision < Compacted)
        {
            throw EtcdErrors.Compacted;
        }

        var live = LiveKeys(key, rangeEnd, revision).Select(k => Latest(k, revision)!).ToList();
        var kvs = limit > 0 ? live.Take((int)limit).ToList() : live;
        return (kvs, live.Count, Current);
    }

    public void Compact(long revision)
    {
        if (revision <= Compacted)
        {
            throw EtcdErrors.Compacted;
        }

        if (revision > Current)
        {
            throw EtcdErrors.FutureRev;
        }

        Compacted = revision;
    }

    /// <summary>What etcd still stores: everything after the compaction plus, per key, the newest put at or before it.</summary>
    public List<ModelRecord> Retained()
    {
        var keep = KeptAt(Compacted);
        return Records.Where(r => r.Main > Compacted || keep.Contains(r)).ToList();
    }

    /// <summary>The newest record of each key at or before the revision, when that record is a put.</summary>
    public HashSet<ModelRecord> KeptAt(long revision)
    {
        var keep = new HashSet<ModelRecord>();
        foreach (var key in Records.Select(r => r.Key).Distinct())
        {
            if (Latest(key, revision) is { IsDelete: false } record)
            {
                keep.Add(record);
            }
        }

        return keep;
    }

    /// <summary>HashKV computed independently: protobuf's own encoder for the values.</summary>
    public uint HashKV(long revision)
    {
        if (revision == 0)
        {
            revision = Current;
        }

        var retained = Retained();
        var keep = KeptAt(revision);
        keep.IntersectWith(retained);
        uint crc = 0;
        crc = Crc32C.Append(crc, "key"u8);
        var revisionBytes = new byte[Mvcc.Revision.EncodedTombstoneLength];
        foreach (var record in retained)
        {
            if (record.Main > revision || (record.Main <= Compacted && keep.Count > 0 && !keep.Contains(record)))
            {
                continue;
            }

            var length = new Revision(record.Main, record.Sub).Encode(revisionBytes, record.IsDelete);
            crc = Crc32C.Append(crc, revisionBytes.AsSpan(0, length));
            crc = Crc32C.Append(crc, record.ToKeyValue(forStorage: true).ToByteArray());
        }

        return crc;
    }

    public static bool InRange(string candidate, string key, string rangeEnd)
    {
        if (rangeEnd.Length == 0)
        {
            return candidate == key;
        }

        if (string.CompareOrdinal(candidate, key) < 0)
        {
            return false;
        }

        return rangeEnd == "\0" || string.CompareOrdinal(candidate, rangeEnd) < 0;
    }
}

internal sealed record ModelRecord(long Main, long Sub, string Key, string? Value, long Lease, long Create, long Version)
{
    public bool IsDelete => Value is null;

    public KeyValue ToKeyValue(bool forStorage = false) => IsDelete && forStorage
        ? new KeyValue { Key = Google.Protobuf.ByteString.CopyFrom(ModelKeyspace.Latin1.GetBytes(Key)) }
        : new KeyValue
        {
            Key = Google.Protobuf.ByteString.CopyFrom(ModelKeyspace.Latin1.GetBytes(Key)),
            Value = Google.Protobuf.ByteString.CopyFrom(ModelKeyspace.Latin1.GetBytes(Value ?? "")),
            CreateRevision = Create,
            ModRevision = Main,
            Version = Version,
            Lease = Lease,
        };
}

/// <summary>A put (Value set) or a delete of [Key, RangeEnd) with etcd's range conventions.</summary>
internal sealed record ModelWrite(string Key, string? Value, string RangeEnd, long Lease);
