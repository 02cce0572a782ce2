using Akka.Actor;
using ActorStore.Mvcc;
using ActorStore.Server.Watch;
using Etcdserverpb;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using Mvccpb;
using Xunit;

namespace ActorStore.Server.Tests.Watch;

/// <summary>The hub, its watchers and the stream logic, against a keyspace without Raft (see <see cref="FakeApplyActor"/>).</summary>
public sealed class WatchHubTests : Akka.TestKit.Xunit2.TestKit
{
    private const ulong ClusterId = 7;
    private const ulong MemberId = 9;
    private readonly IActorRef _apply;
    private readonly MemberWatches _watches;

    public WatchHubTests()
    {
        (_apply, _watches) = StartHub(Sys, Options());
    }

    /// <summary>A hub with its keyspace, as a member has them.</summary>
    internal static (IActorRef Apply, MemberWatches Watches) StartHub(ActorSystem system, MemberOptions options, string name = "")
    {
        var hub = system.ActorOf(Props.Create(() => new WatchHub(NullLogger.Instance)), "watch-hub" + name);
        var store = new MvccStore();
        var apply = system.ActorOf(Props.Create(() => new FakeApplyActor(hub, store)), "apply" + name);
        return (apply, new MemberWatches(system, hub, apply, Header, options));
    }

    /// <summary>Member options with etcd's defaults for what the watches use.</summary>
    internal static MemberOptions Options() => SingleMemberOptions.For("unused");

    internal static ResponseHeader Header(long revision) =>
        new() { ClusterId = ClusterId, MemberId = MemberId, RaftTerm = 2, Revision = revision };

    [Fact]
    public async Task A_watcher_gets_created_then_each_put_with_the_puts_revision_in_the_header()
    {
        await PutAsync("a", "0");
        await using var stream = _watches.OpenStream();
        await using var responses = new ResponseReader(stream.ReadResponsesAsync());
        stream.Handle(Create("a"));
        var created = await responses.NextAsync();
        Assert.True(created.Created);
        Assert.Equal(0, created.WatchId);
        Assert.Equal(2, created.Header.Revision);
        Assert.Equal(MemberId, created.Header.MemberId);

        await PutAsync("b", "other key");
        await PutAsync("a", "1");
        var evt = await responses.NextAsync();
        Assert.Equal(4, evt.Header.Revision);
        Assert.Equal(ClusterId, evt.Header.ClusterId);
        var only = Assert.Single(evt.Events);
        Assert.Equal(Event.Types.EventType.Put, only.Type);
        Assert.Equal("1", only.Kv.Value.ToStringUtf8());
        Assert.Equal(4, only.Kv.ModRevision);
        Assert.Null(only.PrevKv);
    }

    [Fact]
    public async Task Ids_count_up_from_zero_skipping_client_chosen_ones_and_duplicates_are_refused()
    {
        await using var stream = _watches.OpenStream();
        await using var responses = new ResponseReader(stream.ReadResponsesAsync());
        stream.Handle(Create("k", watchId: 1));
        stream.Handle(Create("k"));
        stream.Handle(Create("k"));
        stream.Handle(Create("k", watchId: 1));
        stream.Handle(Create("k", watchId: -5));

        Assert.Equal(1, (await responses.NextAsync()).WatchId);
        Assert.Equal(0, (await responses.NextAsync()).WatchId);
        Assert.Equal(2, (await responses.NextAsync()).WatchId);
        var duplicate = await responses.NextAsync();
        Assert.True(duplicate.Created);
        Assert.True(duplicate.Canceled);
        Assert.Equal(-1, duplicate.WatchId);
        Assert.Equal("mvcc: duplicate watch ID provided on the WatchStream", duplicate.CancelReason);
        var negative = await responses.NextAsync();
        Assert.Equal(-5, negative.WatchId);
        Assert.False(negative.Canceled);
    }

    [Fact]
    public async Task A_range_end_not_after_the_key_is_refused_as_an_empty_range()
    {
        await using var stream = _watches.OpenStream();
        await using var responses = new ResponseReader(stream.ReadResponsesAsync());
        stream.Handle(new WatchRequest { CreateRequest = new WatchCreateRequest { Key = Bytes("b"), RangeEnd = Bytes("a") } });
        var refused = await responses.NextAsync();
        Assert.True(refused.Created && refused.Canceled);
        Assert.Equal(-1, refused.WatchId);
        Assert.Equal("mvcc: watcher range is empty", refused.CancelReason);
        Assert.Equal(1, refused.Header.Revision);
    }

    [Fact]
    public async Task Prefix_range_from_key_and_all_keys_see_only_their_keys()
    {
        await using var stream = _watches.OpenStream();
        await using var responses = new ResponseReader(stream.ReadResponsesAsync());
        stream.Handle(Create("foo", rangeEnd: "fop"));
        stream.Handle(Create("m", rangeEnd: "\0"));
        stream.Handle(Create("", rangeEnd: "\0"));
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await responses.NextAsync()).Created);
        }
        await PutAsync("fo", "1");
        await PutAsync("foo/x", "2");
        await PutAsync("zzz", "3");

        var seen = new Dictionary<long, List<string>> { [0] = [], [1] = [], [2] = [] };
        for (var i = 0; i < 5; i++)
        {
            var response = await responses.NextAsync();
            seen[response.WatchId].AddRange(response.Events.Select(e => e.Kv.Key.ToStringUtf8()));
        }
        Assert.Equal(["foo/x"], seen[0]);
        Assert.Equal(["zzz"], seen[1]);
        Assert.Equal(["fo", "foo/x", "zzz"], seen[2]);
    }

    [Fact]
    public async Task History_from_a_start_revision_comes_in_order_then_live_events_follow()
    {
        for (var i = 1; i <= 600; i++)
        {
            await PutAsync("h", "v" + i);
        }
        await PutAsync("other", "x");
        await using var stream = _watches.OpenStream();
        await using var responses = new ResponseReader(stream.ReadResponsesAsync());
        stream.Handle(Create("h", startRevision: 3, prevKv: true));
        Assert.True((await responses.NextAsync()).Created);

        var events = new List<Event>();
        while (events.Count < 599)
        {
            var response = await responses.NextAsync();
            Assert.True(response.Header.Revision >= response.Events[^1].Kv.ModRevision);
            events.AddRange(response.Events);
        }
        Assert.Equal(Enumerable.Range(3, 599).Select(r => (long)r), events.Select(e => e.Kv.ModRevision));
        Assert.Equal("v1", events[0].PrevKv.Value.ToStringUtf8());

        await PutAsync("h", "live");
        var live = Assert.Single((await responses.NextAsync()).Events);
        Assert.Equal(603, live.Kv.ModRevision);
        Assert.Equal("v600", live.PrevKv.Value.ToStringUtf8());
    }

    [Fact]
    public async Task Filters_drop_puts_or_deletes_and_prev_kv_is_only_sent_when_asked()
    {
        await PutAsync("f", "before");
        await using var stream = _watches.OpenStream();
        await using var responses = new ResponseReader(stream.ReadResponsesAsync());
        stream.Handle(Create("f", filter: WatchCreateRequest.Types.FilterType.Noput, prevKv: true));
        stream.Handle(Create("f", filter: WatchCreateRequest.Types.FilterType.Nodelete));
        await responses.NextAsync();
        await responses.NextAsync();
        await PutAsync("f", "after");
        await WriteAsync(store => store.DeleteRange(Bytes("f").Span, default));

        var first = await responses.NextAsync();
        var second = await responses.NextAsync();
        var noPut = first.WatchId == 0 ? first : second;
        var noDelete = first.WatchId == 1 ? first : second;
        var deletion = Assert.Single(noPut.Events);
        Assert.Equal(Event.Types.EventType.Delete, deletion.Type);
        Assert.Equal("after", deletion.PrevKv.Value.ToStringUtf8());
        var put = Assert.Single(noDelete.Events);
        Assert.Equal(Event.Types.EventType.Put, put.Type);
        Assert.Null(put.PrevKv);
        Assert.True(await responses.NothingWithinAsync(TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public async Task A_compacted_start_revision_is_answered_with_the_compaction_and_the_watcher_is_canceled()
    {
        for (var i = 0; i < 5; i++)
        {
            await PutAsync("c", "v" + i);
        }
        await WriteAsync(store => store.Compact(4));
        await using var stream = _watches.OpenStream();
        await using var responses = new ResponseReader(stream.ReadResponsesAsync());
        stream.Handle(Create("c", startRevision: 2));
        var created = await responses.NextAsync();
        Assert.True(created.Created);
        Assert.False(created.Canceled);
        var compacted = await responses.NextAsync();
        Assert.Equal(0, compacted.WatchId);
        Assert.Equal(4, compacted.CompactRevision);
        Assert.True(compacted.Canceled);
        Assert.Empty(compacted.Events);
        Assert.Equal(0, compacted.Header.Revision);

        // The id stays taken until the client cancels it, which etcd confirms.
        stream.Handle(Cancel(0));
        var canceled = await responses.NextAsync();
        Assert.True(canceled.Canceled);
        Assert.Equal(0, canceled.WatchId);
    }

    [Fact]
    public async Task A_start_revision_at_the_compaction_revision_is_still_served()
    {
        for (var i = 0; i < 5; i++)
        {
            await PutAsync("c", "v" + i);
        }
        await WriteAsync(store => store.Compact(4));
        await using var stream = _watches.OpenStream();
        await using var responses = new ResponseReader(stream.ReadResponsesAsync());
        stream.Handle(Create("c", startRevision: 4));
        await responses.NextAsync();
        var history = await responses.NextAsync();
        Assert.Equal([4L, 5, 6], history.Events.Select(e => e.Kv.ModRevision));
    }

    [Fact]
    public async Task A_canceled_watcher_confirms_and_gets_nothing_more_and_unknown_ids_get_no_answer()
    {
        await using var stream = _watches.OpenStream();
        await using var responses = new ResponseReader(stream.ReadResponsesAsync());
        stream.Handle(Create("x"));
        await responses.NextAsync();
        await PutAsync("x", "1");
        await responses.NextAsync();
        stream.Handle(Cancel(0));
        stream.Handle(Cancel(42));
        var canceled = await responses.NextAsync();
        Assert.True(canceled.Canceled);
        Assert.False(canceled.Created);
        Assert.Equal(0, canceled.WatchId);
        Assert.Equal(2, canceled.Header.Revision);
        await PutAsync("x", "2");
        Assert.True(await responses.NothingWithinAsync(TimeSpan.FromMilliseconds(150)));
    }

    [Fact]
    public async Task A_progress_request_is_answered_for_no_watcher_with_the_current_revision()
    {
        await PutAsync("p", "1");
        await PutAsync("p", "2");
        await using var stream = _watches.OpenStream();
        await using var responses = new ResponseReader(stream.ReadResponsesAsync());
        stream.Handle(new WatchRequest { ProgressRequest = new WatchProgressRequest() });
        var progress = await responses.NextAsync();
        Assert.Equal(-1, progress.WatchId);
        Assert.Equal(3, progress.Header.Revision);
        Assert.False(progress.Created || progress.Canceled);
        Assert.Empty(progress.Events);
    }

    [Fact]
    public async Task A_future_start_revision_waits_for_it()
    {
        await using var stream = _watches.OpenStream();
        await using var responses = new ResponseReader(stream.ReadResponsesAsync());
        stream.Handle(Create("f", startRevision: 4));
        await responses.NextAsync();
        await PutAsync("f", "2");
        await PutAsync("f", "3");
        await PutAsync("f", "4");
        var first = await responses.NextAsync();
        Assert.Equal(4, Assert.Single(first.Events).Kv.ModRevision);
    }

    [Fact]
    public async Task A_stream_that_is_not_read_loses_nothing_and_repeats_nothing()
    {
        await using var stream = _watches.OpenStream();
        await using var responses = new ResponseReader(stream.ReadResponsesAsync());
        stream.Handle(Create("s"));
        stream.Handle(Create("s", prevKv: true));
        Assert.True((await responses.NextAsync()).Created);
        Assert.True((await responses.NextAsync()).Created);
        const int Puts = 4000;
        // Far more than the outbox and the watchers' buffers hold: the watchers have to fall back to history.
        for (var i = 1; i <= Puts; i++)
        {
            _apply.Tell(new FakeApplyActor.Write(store => store.Put(Bytes("s").Span, Bytes("v").Span)));
            if (i % 500 == 0)
            {
                await PutAsync("unwatched", "x");
            }
        }
        await PutAsync("s", "last");
        var revisions = new Dictionary<long, List<long>> { [0] = [], [1] = [] };
        while (revisions[0].Count + revisions[1].Count < 2 * (Puts + 1))
        {
            var response = await responses.NextAsync();
            var list = revisions[response.WatchId];
            foreach (var evt in response.Events)
            {
                list.Add(evt.Kv.ModRevision);
                Assert.True(response.WatchId == 0 ? evt.PrevKv is null : evt.PrevKv is not null || evt.Kv.Version == 1);
            }
        }
        foreach (var list in revisions.Values)
        {
            Assert.Equal(Puts + 1, list.Count);
            Assert.Equal(list.Count, list.Distinct().Count());
            Assert.True(list.SequenceEqual(list.Order()), "events out of order");
        }
        Assert.Equal(revisions[0], revisions[1]);
        Assert.True(await responses.NothingWithinAsync(TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public async Task Events_of_a_large_revision_are_fragmented_only_for_watchers_that_asked()
    {
        var (apply, watches) = StartHub(Sys, Options() with { MaxRequestBytes = 1 }, "-small");
        await using var stream = watches.OpenStream();
        await using var responses = new ResponseReader(stream.ReadResponsesAsync());
        stream.Handle(new WatchRequest { CreateRequest = new WatchCreateRequest { Key = Bytes("big/"), RangeEnd = Bytes("big0"), Fragment = true } });
        stream.Handle(new WatchRequest { CreateRequest = new WatchCreateRequest { Key = Bytes("big/"), RangeEnd = Bytes("big0") } });
        await responses.NextAsync();
        await responses.NextAsync();
        var value = new string('v', 100 * 1024);
        await apply.Ask<long>(new FakeApplyActor.Write(store =>
        {
            var txn = store.BeginWrite();
            for (var i = 0; i < 12; i++)
            {
                txn.Put(Bytes("big/" + i), Bytes(value));
            }
            txn.End();
        }));

        var pieces = new List<WatchResponse>();
        WatchResponse? whole = null;
        while (whole is null || pieces.Count == 0 || pieces[^1].Fragment)
        {
            var response = await responses.NextAsync();
            if (response.WatchId == 0)
            {
                pieces.Add(response);
            }
            else
            {
                whole = response;
            }
        }
        Assert.Equal(12, whole.Events.Count);
        Assert.False(whole.Fragment);
        Assert.True(pieces.Count >= 2, $"{pieces.Count} pieces");
        Assert.All(pieces[..^1], piece => Assert.True(piece.Fragment));
        Assert.All(pieces, piece => Assert.True(piece.CalculateSize() < 512 * 1024 + 1 || piece.Events.Count == 1));
        Assert.Equal(whole.Events.Select(e => e.Kv.Key), pieces.SelectMany(p => p.Events).Select(e => e.Kv.Key));
    }

    [Fact]
    public async Task After_the_store_is_replaced_watchers_catch_up_from_its_history()
    {
        await using var stream = _watches.OpenStream();
        await using var responses = new ResponseReader(stream.ReadResponsesAsync());
        stream.Handle(Create("r"));
        await responses.NextAsync();
        await PutAsync("r", "1");
        Assert.Equal(2, Assert.Single((await responses.NextAsync()).Events).Kv.ModRevision);

        // A snapshot from further along the log: revisions 3 and 4 never reached the hub as change sets.
        var copy = new MemoryStream();
        await WriteAsync(store => store.WriteSnapshot(copy));
        copy.Position = 0;
        var installed = MvccStore.ReadSnapshot(copy);
        installed.Put(Bytes("r").Span, Bytes("2").Span);
        installed.Put(Bytes("r").Span, Bytes("3").Span);
        await _apply.Ask<long>(new FakeApplyActor.Replace(installed));
        await PutAsync("r", "4");

        var revisions = new List<long>();
        while (revisions.Count < 3)
        {
            revisions.AddRange((await responses.NextAsync()).Events.Select(e => e.Kv.ModRevision));
        }
        Assert.Equal([3L, 4, 5], revisions);
    }

    [Fact]
    public async Task Closing_the_stream_ends_its_responses()
    {
        var stream = _watches.OpenStream();
        var responses = new ResponseReader(stream.ReadResponsesAsync());
        stream.Handle(Create("z"));
        await responses.NextAsync();
        await stream.DisposeAsync();
        Assert.True(await responses.EndsAsync());
        await responses.DisposeAsync();
    }

    [Fact]
    public async Task In_process_watches_end_with_their_cancellation()
    {
        using var cancel = new CancellationTokenSource();
        var seen = new List<WatchResponse>();
        var watching = Task.Run(async () =>
        {
            await foreach (var response in _watches.WatchAsync(new WatchCreateRequest { Key = Bytes("i") }, cancel.Token))
            {
                lock (seen)
                {
                    seen.Add(response);
                }
            }
        });
        await AwaitConditionAsync(() => { lock (seen) return seen.Count == 1; });
        await PutAsync("i", "1");
        await AwaitConditionAsync(() => { lock (seen) return seen.Count == 2; });
        await cancel.CancelAsync();
        await watching.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(seen[0].Created);
        Assert.Equal("1", seen[1].Events[0].Kv.Value.ToStringUtf8());
    }

    private Task<long> PutAsync(string key, string value) =>
        WriteAsync(store => store.Put(Bytes(key).Span, Bytes(value).Span));

    private Task<long> WriteAsync(Action<MvccStore> change) => _apply.Ask<long>(new FakeApplyActor.Write(change));

    internal static WatchRequest Create(
        string key, string? rangeEnd = null, long startRevision = 0, long watchId = 0, bool prevKv = false,
        WatchCreateRequest.Types.FilterType? filter = null)
    {
        var create = new WatchCreateRequest
        {
            Key = Bytes(key),
            RangeEnd = rangeEnd is null ? ByteString.Empty : Bytes(rangeEnd),
            StartRevision = startRevision,
            WatchId = watchId,
            PrevKv = prevKv,
        };
        if (filter is { } f)
        {
            create.Filters.Add(f);
        }
        return new WatchRequest { CreateRequest = create };
    }

    internal static WatchRequest Cancel(long id) => new() { CancelRequest = new WatchCancelRequest { WatchId = id } };

    internal static ByteString Bytes(string text) => ByteString.CopyFromUtf8(text);
}
