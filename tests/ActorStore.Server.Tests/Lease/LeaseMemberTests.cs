using Etcdserverpb;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace ActorStore.Server.Tests.Lease;

/// <summary>Leases through a running single member: grant, attach, keep-alive, time to live, expiry through the log, restart.</summary>
public sealed class LeaseMemberTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("actorstore-lease-").FullName;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    [Fact]
    public async Task A_lease_keeps_its_keys_while_kept_alive_and_takes_them_when_it_expires()
    {
        await using var member = await StartAsync();
        // A few seconds of TTL leave room for a busy machine between keep-alives.
        var granted = await member.LeaseGrantAsync(new LeaseGrantRequest { TTL = 3 });
        Assert.True(granted.ID > 0);
        Assert.Equal(3, granted.TTL);
        await member.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8("svc/a"), Value = ByteString.CopyFromUtf8("1"), Lease = granted.ID });

        for (var i = 0; i < 8; i++)
        {
            await Task.Delay(250);
            var renewed = await member.LeaseRenewAsync(granted.ID);
            Assert.Equal(3, renewed.TTL);
        }
        var ttl = await member.LeaseTimeToLiveAsync(new LeaseTimeToLiveRequest { ID = granted.ID, Keys = true });
        Assert.Equal(["svc/a"], ttl.Keys.Select(key => key.ToStringUtf8()));
        Assert.Equal(3, ttl.GrantedTTL);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(8);
        while ((await Get("svc/a", member)).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        Assert.Equal(0, (await Get("svc/a", member)).Count);
        Assert.Equal(-1, (await member.LeaseTimeToLiveAsync(new LeaseTimeToLiveRequest { ID = granted.ID })).TTL);
        Assert.Equal(0, (await member.LeaseRenewAsync(granted.ID)).TTL);
        Assert.Empty((await member.LeaseLeasesAsync()).Leases);
    }

    [Fact]
    public async Task Leases_and_attached_keys_survive_a_restart()
    {
        long id;
        await using (var member = await StartAsync(snapshotCount: 3))
        {
            id = (await member.LeaseGrantAsync(new LeaseGrantRequest { ID = 42, TTL = 600 })).ID;
            for (var i = 0; i < 5; i++)
            {
                await member.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8($"k{i}"), Value = ByteString.CopyFromUtf8("v"), Lease = id });
            }
        }
        await using (var member = await StartAsync(snapshotCount: 3))
        {
            Assert.Equal([42L], (await member.LeaseLeasesAsync()).Leases.Select(lease => lease.ID));
            var ttl = await member.LeaseTimeToLiveAsync(new LeaseTimeToLiveRequest { ID = 42, Keys = true });
            Assert.Equal(5, ttl.Keys.Count);
            var revoked = await member.LeaseRevokeAsync(new LeaseRevokeRequest { ID = 42 });
            Assert.Equal(0, (await Get("k", member, prefix: true)).Count);
            Assert.True(revoked.Header.Revision > 0);
        }
    }

    private static Task<RangeResponse> Get(string key, EtcdMember member, bool prefix = false) =>
        member.RangeAsync(new RangeRequest
        {
            Key = ByteString.CopyFromUtf8(key),
            RangeEnd = prefix ? ByteString.CopyFromUtf8(key[..^1] + (char)(key[^1] + 1)) : ByteString.Empty,
        });

    private Task<EtcdMember> StartAsync(long snapshotCount = 100_000) =>
        EtcdMember.StartAsync(
            SingleMemberOptions.For(_dataDir) with { HeartbeatInterval = TimeSpan.FromMilliseconds(10), SnapshotCount = snapshotCount },
            NullLoggerFactory.Instance);
}
