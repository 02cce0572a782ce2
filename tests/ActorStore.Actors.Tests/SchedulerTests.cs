using ActorStore.Actors;
using Xunit;

namespace ActorStore.Actors.Tests;

public sealed class SchedulerTests() : ActorStore.TestKit.TestKit(virtualTime: true)
{
    private sealed class IdleWatcher : ReceiveActor
    {
        private readonly IActorRef _probe;

        public IdleWatcher(IActorRef probe)
        {
            _probe = probe;
            Receive<ReceiveTimeout>(_ => _probe.Tell("idle"));
        }

        protected override void PreStart()
        {
            Context.SetReceiveTimeout(TimeSpan.FromSeconds(1));
            _probe.Tell("ready");
        }
    }

    [Fact]
    public void TellOnce_fires_only_when_virtual_time_reaches_it()
    {
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(5), TestActor, "once", null);

        VirtualTime.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(1, VirtualTime.PendingCount);
        VirtualTime.Advance(TimeSpan.FromSeconds(1));

        ExpectMsg("once");
        Assert.Equal(0, VirtualTime.PendingCount);
        Assert.Equal(TimeSpan.FromSeconds(5), VirtualTime.Elapsed);
    }

    [Fact]
    public void Due_items_fire_in_time_order()
    {
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(3), TestActor, "third", null);
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(1), TestActor, "first", null);
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(2), TestActor, "second", null);

        VirtualTime.Advance(TimeSpan.FromSeconds(10));

        ExpectMsg("first");
        ExpectMsg("second");
        ExpectMsg("third");
    }

    [Fact]
    public void TellRepeatedly_fires_every_interval_until_cancelled()
    {
        var ticks = Sys.Scheduler.ScheduleTellRepeatedly(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TestActor, "tick", null);

        VirtualTime.Advance(TimeSpan.FromSeconds(5));
        ExpectMsg("tick");
        ExpectMsg("tick");
        ExpectMsg("tick");

        ticks.Cancel();
        Assert.True(ticks.IsCancellationRequested);
        VirtualTime.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(0, VirtualTime.PendingCount);
        ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void Cancelled_TellOnce_never_fires()
    {
        var once = Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(1), TestActor, "never", null);
        once.Cancel();
        VirtualTime.Advance(TimeSpan.FromSeconds(2));
        ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public async Task Delay_completes_on_virtual_time_and_honours_cancellation()
    {
        var delay = Sys.Scheduler.Delay(TimeSpan.FromSeconds(30));
        using var cts = new CancellationTokenSource();
        var cancelled = Sys.Scheduler.Delay(TimeSpan.FromSeconds(30), cts.Token);
        Assert.False(delay.IsCompleted);

        cts.Cancel();
        VirtualTime.Advance(TimeSpan.FromSeconds(30));

        await delay.WaitAsync(TimeSpan.FromSeconds(3));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal(VirtualTime.Now, new DateTimeOffset(2024, 1, 1, 0, 0, 30, TimeSpan.Zero));
    }

    [Fact]
    public void Receive_timeout_fires_after_idle_virtual_time()
    {
        var actor = Sys.ActorOf(Props.Create(() => new IdleWatcher(TestActor)));
        ExpectMsg("ready");

        VirtualTime.Advance(TimeSpan.FromMilliseconds(999));
        ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        VirtualTime.Advance(TimeSpan.FromMilliseconds(1));
        ExpectMsg("idle");
        Assert.NotNull(actor);
    }

    [Fact]
    public async Task Real_timer_scheduler_fires_and_cancels()
    {
        using var scheduler = new TimerScheduler();
        var cancelled = scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(10), TestActor, "never");
        cancelled.Cancel();
        var repeating = scheduler.ScheduleTellRepeatedly(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(5), TestActor, "beat");
        ExpectMsg("beat");
        ExpectMsg("beat");
        repeating.Cancel();

        scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(20), TestActor, "later");
        // Beats already queued before the cancel may still be in the mailbox; "never" must not show up.
        Assert.Equal("later", await FishForMessageAsync<string>(s => s != "beat"));
        await scheduler.Delay(TimeSpan.FromMilliseconds(10));
        Assert.True(scheduler.Elapsed >= TimeSpan.FromMilliseconds(20));
    }
}
