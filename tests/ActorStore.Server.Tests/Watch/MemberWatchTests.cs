using Etcdserverpb;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace ActorStore.Server.Tests.Watch;

/// <summary>Watches of a whole member (Raft, apply actor, hub) on a temp data dir, through <see cref="EtcdMember.Watches"/>.</summary>
public sealed class MemberWatchTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("actorstore-watch-").FullName;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    [Fact]
    public async Task A_prefix_watch_replays_history_with_previous_values_then_follows_live_writes()
    {
        await using var member = await StartAsync();
        await member.PutAsync(Put("app/a", "1"));
        await member.PutAsync(Put("other", "x"));
        await member.PutAsync(Put("app/b", "2"));
        await member.PutAsync(Put("app/a", "3"));
        await member.DeleteRangeAsync(new DeleteRangeRequest { Key = WatchHubTests.Bytes("app/b") });

        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var request = new WatchCreateRequest { Key = WatchHubTests.Bytes("app/"), RangeEnd = WatchHubTests.Bytes("app0"), StartRevision = 2, PrevKv = true };
        var events = new List<Mvccpb.Event>();
        WatchResponse? created = null;
        await foreach (var response in member.Watches.WatchAsync(request, cancel.Token))
        {
            if (response.Created)
            {
                created = response;
                Assert.Equal(6, response.Header.Revision);
                Assert.Equal(member.Identity.MemberId, response.Header.MemberId);
                continue;
            }
            events.AddRange(response.Events);
            if (events.Count == 4)
            {
                await member.PutAsync(Put("app/c", "live"));
            }
            if (events.Count == 5)
            {
                break;
            }
        }
        Assert.NotNull(created);
        Assert.Equal(["app/a", "app/b", "app/a", "app/b", "app/c"], events.Select(e => e.Kv.Key.ToStringUtf8()));
        Assert.Equal([2L, 4, 5, 6, 7], events.Select(e => e.Kv.ModRevision));
        Assert.Equal("1", events[2].PrevKv.Value.ToStringUtf8());
        Assert.Equal(Mvccpb.Event.Types.EventType.Delete, events[3].Type);
        Assert.Equal("2", events[3].PrevKv.Value.ToStringUtf8());
        Assert.Null(events[0].PrevKv);
    }

    [Fact]
    public async Task Watching_from_a_compacted_revision_ends_with_the_compaction_revision()
    {
        await using var member = await StartAsync();
        for (var i = 0; i < 5; i++)
        {
            await member.PutAsync(Put("k", "v" + i));
        }
        await member.CompactAsync(new CompactionRequest { Revision = 5 });
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var responses = new List<WatchResponse>();
        await foreach (var response in member.Watches.WatchAsync(new WatchCreateRequest { Key = WatchHubTests.Bytes("k"), StartRevision = 3 }, cancel.Token))
        {
            responses.Add(response);
        }
        Assert.Equal(2, responses.Count);
        Assert.True(responses[0].Created);
        Assert.True(responses[1].Canceled);
        Assert.Equal(5, responses[1].CompactRevision);
    }

    [Fact]
    public async Task A_watcher_catching_up_while_writes_go_on_sees_every_revision_once_and_in_order()
    {
        await using var member = await StartAsync();
        const int Writes = 1500;
        var writing = Task.WhenAll(Enumerable.Range(0, Writes).Select(i => member.PutAsync(Put("w" + (i % 7), "v" + i))));
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var revisions = new List<long>();
        var request = new WatchCreateRequest { Key = WatchHubTests.Bytes("w"), RangeEnd = WatchHubTests.Bytes("x"), StartRevision = 1 };
        await foreach (var response in member.Watches.WatchAsync(request, cancel.Token))
        {
            revisions.AddRange(response.Events.Select(e => e.Kv.ModRevision));
            if (revisions.Count >= Writes)
            {
                break;
            }
        }
        await writing;
        Assert.Equal(Writes, revisions.Count);
        Assert.Equal(Enumerable.Range(2, Writes).Select(r => (long)r), revisions);
    }

    private Task<EtcdMember> StartAsync() =>
        EtcdMember.StartAsync(SingleMemberOptions.For(_dataDir), NullLoggerFactory.Instance);

    private static PutRequest Put(string key, string value) =>
        new() { Key = WatchHubTests.Bytes(key), Value = WatchHubTests.Bytes(value) };
}
