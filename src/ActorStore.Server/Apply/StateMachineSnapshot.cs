using System.Buffers.Binary;
using ActorStore.Mvcc;
using ActorStore.Server.Lease;
using ActorStore.Server.Membership;
using Google.Protobuf;

namespace ActorStore.Server.Apply;

/// <summary>
/// The state machine as one blob for Raft snapshots: the member list, the leases and the keyspace (each checksummed or
/// versioned by its own format), behind a magic number so that a foreign or damaged snapshot is refused rather than misread.
/// </summary>
public static class StateMachineSnapshot
{
    private const uint MagicWithoutLeases = 0x4153534D; // "ASSM", written before leases existed
    private const uint Magic = 0x41535332; // "ASS2"

    public static ByteString Write(MvccStore store, ClusterMembership membership, LeaseTable leases)
    {
        using var buffer = new MemoryStream();
        var membershipBytes = membership.ToBytes();
        var leaseBytes = leases.ToBytes();
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(header, Magic);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], membershipBytes.Length);
        buffer.Write(header);
        buffer.Write(membershipBytes);
        BinaryPrimitives.WriteInt32BigEndian(header, leaseBytes.Length);
        buffer.Write(header[..4]);
        buffer.Write(leaseBytes);
        store.WriteSnapshot(buffer);
        return ByteString.CopyFrom(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Reads a snapshot back; the keys attached to each lease are rebuilt from the keyspace.</summary>
    public static (MvccStore Store, ClusterMembership Membership, LeaseTable Leases) Read(ByteString data)
    {
        var bytes = data.Span;
        var magic = bytes.Length < 8 ? 0 : BinaryPrimitives.ReadUInt32BigEndian(bytes);
        if (magic != Magic && magic != MagicWithoutLeases)
        {
            throw new InvalidDataException("raft snapshot does not hold an ActorStore state machine");
        }
        var offset = 4;
        var membership = ClusterMembership.FromBytes(Section(bytes, ref offset));
        var leases = magic == Magic ? LeaseTable.FromBytes(Section(bytes, ref offset)) : new LeaseTable();
        using var rest = new MemoryStream(data.ToByteArray(), offset, bytes.Length - offset, writable: false);
        var store = MvccStore.ReadSnapshot(rest);
        leases.AttachKeysOf(store);
        return (store, membership, leases);
    }

    private static ReadOnlySpan<byte> Section(ReadOnlySpan<byte> bytes, ref int offset)
    {
        if (bytes.Length - offset < 4)
        {
            throw new InvalidDataException("raft snapshot is truncated");
        }
        var length = BinaryPrimitives.ReadInt32BigEndian(bytes[offset..]);
        offset += 4;
        if (length < 0 || length > bytes.Length - offset)
        {
            throw new InvalidDataException("raft snapshot is truncated");
        }
        var section = bytes.Slice(offset, length);
        offset += length;
        return section;
    }
}
