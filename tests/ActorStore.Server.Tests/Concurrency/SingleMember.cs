using Etcdserverpb;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace ActorStore.Server.Tests.Concurrency;

/// <summary>A one-member cluster on a temp data dir (deleted on dispose), ready to serve once it leads.</summary>
internal sealed class SingleMember : IAsyncDisposable
{
    private readonly string _dataDir;

    private SingleMember(string dataDir, EtcdMember member)
    {
        _dataDir = dataDir;
        Member = member;
    }

    public EtcdMember Member { get; }

    /// <param name="adjust">Changes to the one-member options, if any.</param>
    public static async Task<SingleMember> StartAsync(Func<MemberOptions, MemberOptions>? adjust = null)
    {
        var dataDir = Directory.CreateTempSubdirectory("actorstore-concurrency-").FullName;
        var options = SingleMemberOptions.For(dataDir);
        var member = await EtcdMember.StartAsync(adjust is null ? options : adjust(options), NullLoggerFactory.Instance);
        for (var i = 0; i < 250 && member.Raft.Leader == 0; i++)
        {
            await Task.Delay(20);
        }
        Assert.Equal(member.Identity.MemberId, member.Raft.Leader);
        return new SingleMember(dataDir, member);
    }

    public async Task<long> GrantAsync(long ttlSeconds = 60) =>
        (await Member.LeaseGrantAsync(new LeaseGrantRequest { TTL = ttlSeconds })).ID;

    public Task RevokeAsync(long lease) => Member.LeaseRevokeAsync(new LeaseRevokeRequest { ID = lease });

    public async Task<Mvccpb.KeyValue?> GetAsync(ByteString key)
    {
        var range = await Member.RangeAsync(new RangeRequest { Key = key });
        return range.Kvs.Count == 0 ? null : range.Kvs[0];
    }

    /// <summary>Waits until <paramref name="key"/> exists: a contender has placed itself and now waits.</summary>
    public async Task<Mvccpb.KeyValue> WaitForKeyAsync(ByteString key)
    {
        for (var i = 0; i < 500; i++)
        {
            if (await GetAsync(key) is { } kv)
            {
                return kv;
            }
            await Task.Delay(10);
        }
        throw new TimeoutException($"key {key.ToStringUtf8()} never appeared");
    }

    /// <summary>Waits until <paramref name="key"/> is gone: a contender that gave up has removed it.</summary>
    public async Task WaitForKeyGoneAsync(ByteString key)
    {
        for (var i = 0; i < 500; i++)
        {
            if (await GetAsync(key) is null)
            {
                return;
            }
            await Task.Delay(10);
        }
        throw new TimeoutException($"key {key.ToStringUtf8()} was never removed");
    }

    /// <summary>
    /// Asserts that <paramref name="task"/> is still waiting after the member has applied another write (so anything
    /// that write could have released has had the chance) and a short grace period.
    /// </summary>
    public async Task AssertStillWaitingAsync(Task task)
    {
        await Member.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8("unrelated"), Value = ByteString.CopyFromUtf8("x") });
        var first = await Task.WhenAny(task, Task.Delay(150));
        Assert.NotSame(task, first);
    }

    public async ValueTask DisposeAsync()
    {
        await Member.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }

    public static ByteString Bytes(string text) => ByteString.CopyFromUtf8(text);

    public static string Hex(long lease) => lease.ToString("x", System.Globalization.CultureInfo.InvariantCulture);
}
