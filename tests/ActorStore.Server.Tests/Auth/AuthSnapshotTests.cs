using System.Buffers.Binary;
using ActorStore.Mvcc;
using ActorStore.Server.Apply;
using ActorStore.Server.Auth;
using ActorStore.Server.Lease;
using ActorStore.Server.Membership;
using Authpb;
using Google.Protobuf;
using Xunit;

namespace ActorStore.Server.Tests.Auth;

/// <summary>The auth store travels in member snapshots; snapshots written before it existed still read, with auth off.</summary>
public sealed class AuthSnapshotTests
{
    private static AuthStore SomeAuth()
    {
        var auth = new AuthStore();
        auth.AddUser("root", "$2a$04$hash", noPassword: false);
        auth.GrantRole("root", "root");
        auth.AddRole("reader");
        auth.GrantPermission("reader", new Permission { Key = ByteString.CopyFromUtf8("foo"), RangeEnd = ByteString.CopyFromUtf8("fop") });
        auth.Enable();
        return auth;
    }

    [Fact]
    public void The_auth_store_survives_a_state_machine_snapshot()
    {
        var auth = SomeAuth();
        var (_, _, _, read) = StateMachineSnapshot.Read(StateMachineSnapshot.Write(new MvccStore(), new ClusterMembership(1), new LeaseTable(), auth));
        Assert.True(read.Enabled);
        Assert.Equal(auth.Revision, read.Revision);
        Assert.Equal(auth.Users, read.Users);
        Assert.Equal(auth.Roles, read.Roles);
    }

    [Fact]
    public void A_snapshot_from_before_auth_reads_with_auth_off_and_its_keyspace_intact()
    {
        var store = new MvccStore();
        var txn = store.BeginWrite();
        txn.Put(ByteString.CopyFromUtf8("k"), ByteString.CopyFromUtf8("v"));
        txn.End();
        var current = StateMachineSnapshot.Write(store, new ClusterMembership(1), new LeaseTable(), SomeAuth()).ToByteArray();

        var (readStore, _, _, auth) = StateMachineSnapshot.Read(ByteString.CopyFrom(WithoutAuthSection(current)));

        Assert.False(auth.Enabled);
        Assert.Empty(auth.Users);
        Assert.Equal(store.CurrentRevision, readStore.CurrentRevision);
    }

    /// <summary>The layout written before auth: magic "ASS2", the member list and leases, then the keyspace.</summary>
    private static byte[] WithoutAuthSection(byte[] snapshot)
    {
        var offset = 4;
        offset += 4 + BinaryPrimitives.ReadInt32BigEndian(snapshot.AsSpan(offset));
        offset += 4 + BinaryPrimitives.ReadInt32BigEndian(snapshot.AsSpan(offset));
        var authLength = 4 + BinaryPrimitives.ReadInt32BigEndian(snapshot.AsSpan(offset));
        // The v2 keys store's section follows auth's; it came later still, so it goes too.
        authLength += 4 + BinaryPrimitives.ReadInt32BigEndian(snapshot.AsSpan(offset + authLength));
        var old = snapshot[..offset].Concat(snapshot[(offset + authLength)..]).ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(old, 0x41535332);
        return old;
    }
}
