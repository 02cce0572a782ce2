using ActorStore.Actors;
using Xunit;

namespace ActorStore.Actors.Tests;

public sealed class PipeToTests : ActorStore.TestKit.TestKit
{
    private sealed record Fetch(bool Fail);

    private sealed class Fetcher : ReceiveActor
    {
        public Fetcher()
        {
            Receive<Fetch>(fetch =>
            {
                var work = fetch.Fail
                    ? Task.FromException<int>(new TimeoutException("backend down"))
                    : Task.Run(() => 42);
                // Reply to the original asker with the actor as sender.
                work.PipeTo(Sender, Self);
            });
        }
    }

    [Fact]
    public void Success_is_piped_as_the_result()
    {
        var fetcher = Sys.ActorOf(Props.Create(() => new Fetcher()));
        fetcher.Tell(new Fetch(false), TestActor);
        Assert.Equal(42, ExpectMsg<int>());
        Assert.Same(fetcher, LastSender);
    }

    [Fact]
    public void Failure_is_piped_as_Status_Failure()
    {
        var fetcher = Sys.ActorOf(Props.Create(() => new Fetcher()));
        fetcher.Tell(new Fetch(true), TestActor);
        var failure = ExpectMsg<Status.Failure>();
        Assert.IsType<TimeoutException>(failure.Cause);
    }

    [Fact]
    public async Task Mappings_and_plain_tasks_are_supported()
    {
        var completion = new TaskCompletionSource();
        var piped = completion.Task.PipeTo(TestActor, success: () => "done");
        Assert.False(piped.IsCompleted);
        completion.SetResult();
        await piped;
        ExpectMsg("done");

        await Task.FromException(new InvalidOperationException("x")).PipeTo(TestActor, failure: e => "failed:" + e.Message);
        ExpectMsg("failed:x");

        await Task.FromResult(7).PipeTo(TestActor, success: n => $"n={n}");
        ExpectMsg("n=7");

        await Task.CompletedTask.PipeTo(TestActor);
        Assert.Null(ExpectMsg<Status.Success>().Value);
    }
}
