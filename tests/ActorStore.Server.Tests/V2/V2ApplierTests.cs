using System.Text.Json;
using ActorStore.Mvcc;
using ActorStore.Server.Apply;
using ActorStore.Server.Lease;
using ActorStore.Server.Membership;
using ActorStore.Server.V2;
using Etcdserverpb;
using Xunit;

namespace ActorStore.Server.Tests.V2;

public sealed class V2ApplierTests
{
    private readonly V2Store _store = new(() => 0);

    private V2Pb.V2Outcome Put(string key, string value, Action<Request>? more = null)
    {
        var request = new Request { Method = "PUT", Path = "/1" + key, Val = value };
        more?.Invoke(request);
        return V2Applier.Apply(_store, request);
    }

    private static JsonElement Body(V2Pb.V2Outcome outcome) => JsonDocument.Parse(outcome.Body.ToByteArray()).RootElement;

    [Fact]
    public void Put_chooses_set_create_update_or_compare_and_swap_as_etcd_does()
    {
        Assert.Equal(V2Actions.Set, Put("/k", "1").Action);
        Assert.Equal(V2Error.NodeExist, Put("/k", "2", r => r.PrevExist = false).ErrorCode);
        Assert.Equal(V2Actions.Create, Put("/n", "2", r => r.PrevExist = false).Action);
        Assert.Equal(V2Actions.Update, Put("/k", "3", r => r.PrevExist = true).Action);
        Assert.Equal(V2Actions.CompareAndSwap, Put("/k", "4", r => r.PrevValue = "3").Action);
        var failed = Put("/k", "5", r => { r.PrevExist = true; r.PrevIndex = 99; });
        Assert.Equal((V2Error.TestFailed, "[99 != 4]", 4UL), (failed.ErrorCode, failed.ErrorCause, failed.ErrorIndex));
    }

    [Fact]
    public void The_answer_is_etcds_json_with_the_keys_namespace_left_out()
    {
        var created = Put("/a/b", "v");
        Assert.True(created.Created);
        Assert.Equal(1UL, created.EtcdIndex);
        var body = Body(created);
        Assert.Equal("set", body.GetProperty("action").GetString());
        Assert.Equal("/a/b", body.GetProperty("node").GetProperty("key").GetString());
        Assert.False(body.TryGetProperty("prevNode", out _));

        var root = V2Applier.Apply(_store, new Request { Method = "QGET", Path = "/1", Recursive = true });
        var rootNode = Body(root).GetProperty("node");
        Assert.False(rootNode.TryGetProperty("key", out _));
        Assert.True(rootNode.GetProperty("dir").GetBoolean());
        Assert.Equal("/a", rootNode.GetProperty("nodes")[0].GetProperty("key").GetString());
    }

    [Fact]
    public void Post_makes_in_order_keys_and_delete_takes_prev_value_and_recursive()
    {
        var posted = V2Applier.Apply(_store, new Request { Method = "POST", Path = "/1/q", Val = "job" });
        Assert.Equal("/q/00000000000000000001", Body(posted).GetProperty("node").GetProperty("key").GetString());
        Assert.Equal(V2Error.TestFailed, V2Applier.Apply(_store, new Request { Method = "DELETE", Path = "/1/q/00000000000000000001", PrevValue = "x" }).ErrorCode);
        Assert.Equal(V2Error.DirNotEmpty, V2Applier.Apply(_store, new Request { Method = "DELETE", Path = "/1/q", Dir = true }).ErrorCode);
        Assert.Equal(V2Actions.Delete, V2Applier.Apply(_store, new Request { Method = "DELETE", Path = "/1/q", Recursive = true }).Action);
    }

    [Fact]
    public void A_sync_expires_keys_by_the_time_it_carries()
    {
        Put("/t", "v", r => r.Expiration = 2_000_000_000_000_000_000);
        V2Applier.Apply(_store, new Request { Method = "SYNC", Time = 1_999_999_999_000_000_000 });
        Assert.Equal(0, V2Applier.Apply(_store, new Request { Method = "QGET", Path = "/1/t" }).ErrorCode);
        V2Applier.Apply(_store, new Request { Method = "SYNC", Time = 2_000_000_000_000_000_000 });
        Assert.Equal(V2Error.KeyNotFound, V2Applier.Apply(_store, new Request { Method = "QGET", Path = "/1/t" }).ErrorCode);
    }

    [Fact]
    public void Member_attributes_are_not_keys_requests()
    {
        Assert.False(V2Applier.IsKeysRequest(new Request { Method = "PUT", Path = "/0/members/1/attributes" }));
        Assert.True(V2Applier.IsKeysRequest(new Request { Method = "PUT", Path = "/1/x" }));
        Assert.False(V2Applier.IsKeysRequest(new Request { Method = "PUT", Path = "/10/x" }));
    }

    [Fact]
    public void Snapshots_keep_the_v2_store_and_older_snapshots_read_with_an_empty_one()
    {
        Put("/a/b", "v");
        Put("/t", "w", r => r.Expiration = 2_000_000_000_000_000_000);
        var snapshot = StateMachineSnapshot.Write(new MvccStore(), new ClusterMembership(1), new LeaseTable(), null, _store);

        var read = StateMachineSnapshot.ReadV2(snapshot, () => 0);
        Assert.Equal(2UL, read.CurrentIndex);
        Assert.Equal("v", read.Get("/a/b", false, false).Node.Value);
        Assert.True(read.HasTtlKeys);
        var fromHistory = read.Watch("/a/b", false, false, 1);
        Assert.True(fromHistory.Events.TryRead(out var past));
        Assert.Equal(("/a/b", "v", 1UL), (past!.Node.Key, past.Node.Value, past.Node.ModifiedIndex));
        Assert.Equal(V2Actions.Set, past.Action);
        var (store, _, _, _) = StateMachineSnapshot.Read(snapshot);
        Assert.Equal(new MvccStore().CurrentRevision, store.CurrentRevision);

        var older = snapshot.ToByteArray();
        var offset = 4;
        for (var section = 0; section < 3; section++)
        {
            offset += 4 + System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(older.AsSpan(offset));
        }
        var v2Length = 4 + System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(older.AsSpan(offset));
        var withoutV2 = older[..offset].Concat(older[(offset + v2Length)..]).ToArray();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(withoutV2, 0x41535333);
        var fromOlder = StateMachineSnapshot.ReadV2(Google.Protobuf.ByteString.CopyFrom(withoutV2), () => 0);
        Assert.Equal(0UL, fromOlder.CurrentIndex);
        Assert.Equal(new MvccStore().CurrentRevision, StateMachineSnapshot.Read(Google.Protobuf.ByteString.CopyFrom(withoutV2)).Store.CurrentRevision);
    }
}
