using Akka.Actor;
using ActorStore.Server.Watch;
using Xunit;

namespace ActorStore.Server.Tests.Watch;

/// <summary>Periodic progress notifications, on virtual time.</summary>
public sealed class WatchProgressNotifyTests() : Akka.TestKit.Xunit2.TestKit(VirtualTimeConfig.Config)
{
    [Fact]
    public async Task Synced_watchers_that_asked_report_progress_each_interval_unless_they_just_sent_events()
    {
        var (apply, watches) = WatchHubTests.StartHub(Sys, WatchHubTests.Options() with { WatchProgressNotifyInterval = TimeSpan.FromSeconds(1) });
        await using var stream = watches.OpenStream();
        await using var responses = new ResponseReader(stream.ReadResponsesAsync());
        var asking = WatchHubTests.Create("p");
        asking.CreateRequest.ProgressNotify = true;
        stream.Handle(asking);
        stream.Handle(WatchHubTests.Create("p"));
        Assert.True((await responses.NextAsync()).Created);
        Assert.True((await responses.NextAsync()).Created);
        await apply.Ask<long>(new FakeApplyActor.Write(store => store.Put(WatchHubTests.Bytes("elsewhere").Span, default)));

        // Jitter adds up to a tenth of the interval. The watcher's timer starts with the watcher, which may be just
        // after its Created answer (and a tick that finds it still catching up reports nothing): advance until one fires.
        var intervals = 0;
        do
        {
            VirtualTimeConfig.Of(Sys).Advance(TimeSpan.FromMilliseconds(1100));
        }
        while (await responses.NothingWithinAsync(TimeSpan.FromMilliseconds(200)) && ++intervals < 5);
        var progress = await responses.NextAsync();
        Assert.Equal(0, progress.WatchId);
        Assert.Empty(progress.Events);
        Assert.Equal(2, progress.Header.Revision);
        Assert.False(progress.Created || progress.Canceled);

        // An event in the interval elides the next notification.
        await apply.Ask<long>(new FakeApplyActor.Write(store => store.Put(WatchHubTests.Bytes("p").Span, default)));
        var first = await responses.NextAsync();
        var second = await responses.NextAsync();
        Assert.Equal([0L, 1], new[] { first.WatchId, second.WatchId }.Order());
        VirtualTimeConfig.Of(Sys).Advance(TimeSpan.FromMilliseconds(1100));
        Assert.True(await responses.NothingWithinAsync(TimeSpan.FromMilliseconds(150)));
        VirtualTimeConfig.Of(Sys).Advance(TimeSpan.FromMilliseconds(1100));
        var next = await responses.NextAsync();
        Assert.Equal(0, next.WatchId);
        Assert.Equal(3, next.Header.Revision);
    }
}
