using System.Buffers.Binary;
using ActorStore.Mvcc;
using ActorStore.Server.Membership;
using Google.Protobuf;

namespace ActorStore.Server.Apply;

/// <summary>
/// The state machine as one blob for Raft snapshots: the member list and the keyspace (each checksummed by its own
/// format), behind a magic number so that a foreign or damaged snapshot is refused rather than misread.
/// </summary>
public static class StateMachineSnapshot
{
    private const uint Magic = 0x4153534D; // "ASSM"

    public static ByteString Write(MvccStore store, ClusterMembership membership)
    {
        using var buffer = new MemoryStream();
        var membershipBytes = membership.ToBytes();
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(header, Magic);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], membershipBytes.Length);
        buffer.Write(header);
        buffer.Write(membershipBytes);
        store.WriteSnapshot(buffer);
        return ByteString.CopyFrom(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static (MvccStore Store, ClusterMembership Membership) Read(ByteString data)
    {
        var bytes = data.Span;
        if (bytes.Length < 8 || BinaryPrimitives.ReadUInt32BigEndian(bytes) != Magic)
        {
            throw new InvalidDataException("raft snapshot does not hold an ActorStore state machine");
        }
        var membershipLength = BinaryPrimitives.ReadInt32BigEndian(bytes[4..]);
        if (membershipLength < 0 || membershipLength > bytes.Length - 8)
        {
            throw new InvalidDataException("raft snapshot is truncated");
        }
        var membership = ClusterMembership.FromBytes(bytes.Slice(8, membershipLength));
        using var rest = new MemoryStream(data.ToByteArray(), 8 + membershipLength, bytes.Length - 8 - membershipLength, writable: false);
        return (MvccStore.ReadSnapshot(rest), membership);
    }
}
