using System.Buffers.Binary;
using ActorStore.Mvcc;
using Google.Protobuf;

namespace ActorStore.Server.Apply;

/// <summary>
/// The state machine at one applied index, taken by <see cref="StateMachineSnapshot.Capture"/> on the apply actor and
/// encoded by <see cref="Encode"/> on any thread while the actor goes on applying. The member list, leases, auth store
/// and v2 store are already bytes (they are small, and their bytes are the cheapest copy that stays still); the keyspace
/// is an <see cref="MvccStoreImage"/>, the same capture the maintenance snapshot streams from.
/// </summary>
public sealed record StateMachineImage(byte[] Membership, byte[] Leases, byte[] Auth, byte[] V2, MvccStoreImage Keyspace)
{
    /// <summary>The Raft snapshot data: the magic number, the four length-prefixed sections, then the keyspace.</summary>
    public ByteString Encode()
    {
        using var buffer = new MemoryStream(EncodedLengthEstimate());
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(word, StateMachineSnapshot.Magic);
        buffer.Write(word);
        foreach (var section in (ReadOnlySpan<byte[]>)[Membership, Leases, Auth, V2])
        {
            BinaryPrimitives.WriteInt32BigEndian(word, section.Length);
            buffer.Write(word);
            buffer.Write(section);
        }
        Keyspace.WriteSnapshot(buffer);
        // The buffer is ours alone from here on: wrapping it spares a copy of a snapshot that may take hundreds of MB.
        return UnsafeByteOperations.UnsafeWrap(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
    }

    /// <summary>About what the encoding takes, so that the buffer is not grown (and copied) by doubling on the way.</summary>
    private int EncodedLengthEstimate()
    {
        const int RecordFraming = 64; // revision, kind, create revision, version, lease, lengths, generation counts
        var total = 64L + Membership.Length + Leases.Length + Auth.Length + V2.Length;
        // The store's own sum spares a walk over every record (a cache miss or two each, for millions of them).
        total += Keyspace.RecordBytes ?? Keyspace.Records.Sum(record => (long)record.Key.Length + record.Value.Length);
        total += (long)Keyspace.Records.Count * RecordFraming;
        return (int)Math.Min(total, Array.MaxLength);
    }
}
