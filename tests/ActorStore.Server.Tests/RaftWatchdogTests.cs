using Akka.Actor;
using Xunit;

namespace ActorStore.Server.Tests;

public sealed class RaftWatchdogTests : Akka.TestKit.Xunit2.TestKit
{
    private sealed class Idle : ReceiveActor
    {
    }

    [Fact]
    public async Task Reports_when_the_watched_raft_actor_stops_and_not_before()
    {
        var raft = Sys.ActorOf(Props.Create(() => new Idle()), "raft");
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Sys.ActorOf(Props.Create(() => new RaftWatchdog(raft, stopped)), "watchdog");

        await Task.Delay(100);
        Assert.False(stopped.Task.IsCompleted);

        Sys.Stop(raft);
        await stopped.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
