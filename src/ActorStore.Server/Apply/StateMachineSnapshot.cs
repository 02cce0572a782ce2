using System.Buffers.Binary;
using ActorStore.Mvcc;
using ActorStore.Server.Auth;
using ActorStore.Server.Lease;
using ActorStore.Server.Membership;
using ActorStore.Server.V2;
using Google.Protobuf;

namespace ActorStore.Server.Apply;

/// <summary>
/// The state machine as one blob for Raft snapshots: the member list, the leases, the auth store and the keyspace (each
/// checksummed or versioned by its own format), behind a magic number so that a foreign or damaged snapshot is refused
/// rather than misread. Snapshots written before leases, auth or the v2 store existed still read, with none of them.
/// </summary>
public static class StateMachineSnapshot
{
    private const uint MagicWithoutLeases = 0x4153534D; // "ASSM", written before leases existed
    private const uint MagicWithoutAuth = 0x41535332; // "ASS2", written before the auth store existed
    private const uint MagicWithoutV2 = 0x41535333; // "ASS3", written before the v2 keys store existed
    internal const uint Magic = 0x41535334; // "ASS4"

    public static ByteString Write(MvccStore store, ClusterMembership membership, LeaseTable leases, AuthStore? auth = null, V2Store? v2 = null) =>
        Capture(store, membership, leases, auth, v2).Encode();

    /// <summary>
    /// What a snapshot of the state machine as it is now needs, detached from it, so that it can be encoded while
    /// entries go on being applied. Costs an array copy of the keyspace's record references and the encoding of the
    /// small parts.
    /// </summary>
    public static StateMachineImage Capture(MvccStore store, ClusterMembership membership, LeaseTable leases, AuthStore? auth = null, V2Store? v2 = null) =>
        new(membership.ToBytes(), leases.ToBytes(), AuthStoreFormat.ToBytes(auth ?? new AuthStore()),
            V2StoreFormat.ToBytes(v2 ?? new V2Store(V2Clock.NowNanos)), store.Capture());

    /// <summary>Reads a snapshot back; the keys attached to each lease are rebuilt from the keyspace.</summary>
    public static (MvccStore Store, ClusterMembership Membership, LeaseTable Leases, AuthStore Auth) Read(ByteString data)
    {
        var bytes = data.Span;
        var magic = bytes.Length < 8 ? 0 : BinaryPrimitives.ReadUInt32BigEndian(bytes);
        if (magic != Magic && magic != MagicWithoutV2 && magic != MagicWithoutAuth && magic != MagicWithoutLeases)
        {
            throw new InvalidDataException("raft snapshot does not hold an ActorStore state machine");
        }
        var offset = 4;
        var membership = ClusterMembership.FromBytes(Section(bytes, ref offset));
        var leases = magic != MagicWithoutLeases ? LeaseTable.FromBytes(Section(bytes, ref offset)) : new LeaseTable();
        var auth = magic is Magic or MagicWithoutV2 ? AuthStoreFormat.FromBytes(Section(bytes, ref offset)) : new AuthStore();
        if (magic == Magic)
        {
            Section(bytes, ref offset);
        }
        using var rest = new MemoryStream(data.ToByteArray(), offset, bytes.Length - offset, writable: false);
        var store = MvccStore.ReadSnapshot(rest);
        leases.AttachKeysOf(store);
        return (store, membership, leases, auth);
    }

    /// <summary>The v2 keys store a snapshot holds; empty for snapshots written before it existed.</summary>
    public static V2Store ReadV2(ByteString data, Func<long> nowNanos)
    {
        var bytes = data.Span;
        var magic = bytes.Length < 8 ? 0 : BinaryPrimitives.ReadUInt32BigEndian(bytes);
        if (magic != Magic)
        {
            return new V2Store(nowNanos);
        }
        var offset = 4;
        Section(bytes, ref offset);
        Section(bytes, ref offset);
        Section(bytes, ref offset);
        return V2StoreFormat.FromBytes(Section(bytes, ref offset), nowNanos);
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
