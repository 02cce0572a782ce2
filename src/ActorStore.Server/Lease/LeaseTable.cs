using System.Buffers.Binary;
using ActorStore.Mvcc;
using Google.Protobuf;

namespace ActorStore.Server.Lease;

/// <summary>
/// The leases of the state machine as every member agrees on them: id, granted TTL and the keys attached. Owned by the
/// apply actor; changed only by applied entries, so it is the same on every member. Remaining time to live is not
/// here: only the leader's lease actors keep time.
/// </summary>
public sealed class LeaseTable
{
    private const uint FormatVersion = 1;
    private readonly Dictionary<long, GrantedLease> _leases = new();

    public int Count => _leases.Count;

    public bool Contains(long id) => _leases.ContainsKey(id);

    public GrantedLease? Find(long id) => _leases.GetValueOrDefault(id);

    public IEnumerable<GrantedLease> Leases => _leases.Values;

    /// <summary>Adds a lease; false when the id is taken.</summary>
    public bool Add(long id, long ttl) => _leases.TryAdd(id, new GrantedLease(id, ttl));

    public bool Remove(long id) => _leases.Remove(id);

    /// <summary>Moves keys between leases as one committed write transaction left them.</summary>
    public void Track(MvccChangeSet changes)
    {
        // No leases, no key can hold one: the write path skips the walk.
        if (_leases.Count == 0)
        {
            return;
        }
        for (var i = 0; i < changes.Count; i++)
        {
            var (key, previousLease, lease) = changes.LeaseChangeAt(i);
            if (previousLease == lease)
            {
                continue;
            }
            if (previousLease != 0 && _leases.TryGetValue(previousLease, out var before))
            {
                before.Keys.Remove(key);
            }
            if (lease != 0 && _leases.TryGetValue(lease, out var after))
            {
                after.Keys.Add(key);
            }
        }
    }

    /// <summary>Attaches every live key of <paramref name="store"/> to its lease, as after loading a snapshot.</summary>
    public void AttachKeysOf(MvccStore store)
    {
        foreach (var lease in _leases.Values)
        {
            lease.Keys.Clear();
        }
        var all = store.Range([0], [0]);
        foreach (var kv in all.Kvs)
        {
            if (kv.Lease != 0 && _leases.TryGetValue(kv.Lease, out var lease))
            {
                lease.Keys.Add(kv.Key);
            }
        }
    }

    /// <summary>Ids and TTLs, sorted by id: the lease part of a state machine snapshot. Keys are rebuilt from the keyspace.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[8 + _leases.Count * 16];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, FormatVersion);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), _leases.Count);
        var offset = 8;
        foreach (var lease in _leases.Values.OrderBy(lease => lease.Id))
        {
            BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(offset), lease.Id);
            BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(offset + 8), lease.Ttl);
            offset += 16;
        }
        return bytes;
    }

    public static LeaseTable FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 8 || BinaryPrimitives.ReadUInt32BigEndian(bytes) != FormatVersion)
        {
            throw new InvalidDataException("lease table in the snapshot has an unknown format");
        }
        var count = BinaryPrimitives.ReadInt32BigEndian(bytes[4..]);
        if (count < 0 || bytes.Length != 8 + (long)count * 16)
        {
            throw new InvalidDataException("lease table in the snapshot is truncated");
        }
        var table = new LeaseTable();
        for (var offset = 8; offset < bytes.Length; offset += 16)
        {
            table.Add(BinaryPrimitives.ReadInt64BigEndian(bytes[offset..]), BinaryPrimitives.ReadInt64BigEndian(bytes[(offset + 8)..]));
        }
        return table;
    }
}
