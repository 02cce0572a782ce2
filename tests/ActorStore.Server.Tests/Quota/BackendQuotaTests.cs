using ActorStore.Protocol.Errors;
using ActorStore.Server.Quota;
using Etcdserverpb;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace ActorStore.Server.Tests.Quota;

/// <summary>etcd's quota on an in-process member: charges, NOSPACE through the log, and the way back.</summary>
public sealed class BackendQuotaTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("actorstore-quota-").FullName;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    private static ByteString Bytes(string text) => ByteString.CopyFromUtf8(text);

    private static PutRequest Put(string key, int valueBytes) => new() { Key = Bytes(key), Value = ByteString.CopyFrom(new byte[valueBytes]) };

    [Fact]
    public void Writes_are_charged_as_etcd_charges_them()
    {
        Assert.Equal(256 + 3 + 10, BackendQuota.Cost(Put("abc", 10)));
        Assert.Equal(64, BackendQuota.Cost(new LeaseGrantRequest { TTL = 10 }));
        var txn = new TxnRequest();
        txn.Success.Add(new RequestOp { RequestPut = Put("a", 100) });
        txn.Success.Add(new RequestOp { RequestRange = new RangeRequest { Key = Bytes("a") } });
        txn.Failure.Add(new RequestOp { RequestPut = Put("b", 10) });
        txn.Failure.Add(new RequestOp { RequestPut = Put("c", 10) });
        // The costlier branch: two small puts outweigh one larger one.
        Assert.Equal(2 * (256 + 1 + 10), BackendQuota.Cost(txn));
        Assert.Equal(0, BackendQuota.Cost(new TxnRequest()));
        Assert.Equal(BackendQuota.DefaultQuotaBytes, BackendQuota.Effective(0));
        Assert.Equal(-1, BackendQuota.Effective(-1));
    }

    [Fact]
    public async Task Past_the_quota_nospace_is_raised_and_compaction_defragment_and_disarm_recover()
    {
        const int valueBytes = 10_000;
        var options = SingleMemberOptions.For(_dataDir) with { QuotaBackendBytes = 100_000 };
        await using var member = await EtcdMember.StartAsync(options, NullLoggerFactory.Instance);
        await member.PutAsync(Put("other", 10));
        var fitted = 0;
        RpcException? refused = null;
        while (refused is null && fitted < 100)
        {
            try
            {
                await member.PutAsync(Put("large", valueBytes));
                fitted++;
            }
            catch (RpcException e)
            {
                refused = e;
            }
        }
        // 271 + (256 + 5 + 10000) * 9 = 92,620 fits below 100,000; a tenth put would not.
        Assert.Equal(9, fitted);
        Assert.Equal(EtcdErrors.NoSpace.Message, refused!.Message);
        Assert.Equal(StatusCode.ResourceExhausted, refused.Status);

        var alarms = await member.ActiveAlarmsAsync();
        var alarm = Assert.Single(alarms);
        Assert.Equal((AlarmType.Nospace, member.Identity.MemberId), (alarm.Alarm, alarm.MemberID));
        // Under the alarm even a write that would fit is refused by the apply actor, as are lease grants.
        var tiny = await Assert.ThrowsAsync<RpcException>(() => member.PutAsync(Put("t", 1)));
        Assert.Equal(EtcdErrors.NoSpace.Message, tiny.Message);
        await Assert.ThrowsAsync<RpcException>(() => member.LeaseGrantAsync(new LeaseGrantRequest { TTL = 60 }));
        Assert.Single((await member.RangeAsync(new RangeRequest { Key = Bytes("other") })).Kvs);
        Assert.Equal(1, (await member.DeleteRangeAsync(new DeleteRangeRequest { Key = Bytes("other") })).Deleted);

        var full = await member.StatusAsync();
        Assert.Equal(full.DbSize, full.DbSizeInUse);
        await member.CompactAsync(new CompactionRequest { Revision = full.Header.Revision });
        var compacted = await member.StatusAsync();
        Assert.Equal(full.DbSize, compacted.DbSize);
        Assert.Equal(256 + 5 + valueBytes, compacted.DbSizeInUse);
        await member.DefragmentAsync();
        var defragmented = await member.StatusAsync();
        Assert.Equal(256 + 5 + valueBytes, defragmented.DbSize);

        await Assert.ThrowsAsync<RpcException>(() => member.PutAsync(Put("t", 1)));
        await member.AlarmAsync(new AlarmRequest
        {
            Action = AlarmRequest.Types.AlarmAction.Deactivate, MemberID = member.Identity.MemberId, Alarm = AlarmType.Nospace,
        });
        Assert.Empty(await member.ActiveAlarmsAsync());
        await member.PutAsync(Put("t", 1));
        await member.LeaseGrantAsync(new LeaseGrantRequest { TTL = 60 });
        var recovered = await member.StatusAsync();
        Assert.Equal(256 + 5 + valueBytes + 256 + 1 + 1 + 64, recovered.DbSizeInUse);
    }

    [Fact]
    public async Task A_negative_quota_turns_the_check_off()
    {
        var options = SingleMemberOptions.For(_dataDir) with { QuotaBackendBytes = -1 };
        await using var member = await EtcdMember.StartAsync(options, NullLoggerFactory.Instance);
        for (var i = 0; i < 5; i++)
        {
            await member.PutAsync(Put("k", 100_000));
        }
        Assert.Empty(await member.ActiveAlarmsAsync());
    }
}
