using ActorStore.Actors;
using Xunit;

namespace ActorStore.Actors.Tests;

public sealed class AskTests : ActorStore.TestKit.TestKit
{
    private sealed class Responder : ReceiveActor
    {
        public Responder()
        {
            Receive<string>(_ => Sender.Tell(new Status.Failure(new InvalidOperationException("no way")), Self), s => s == "fail");
            Receive<string>(_ => { }, s => s == "silent");
            Receive<string>(s => Sender.Tell(s.ToUpperInvariant(), Self));
            Receive<int>(i => Sender.Tell(i * 2, Self));
        }
    }

    private IActorRef NewResponder() => Sys.ActorOf(Props.Create(() => new Responder()));

    [Fact]
    public async Task Ask_returns_the_reply()
    {
        Assert.Equal("HELLO", await NewResponder().Ask<string>("hello"));
        Assert.Equal(42, await NewResponder().Ask<int>(21));
    }

    [Fact]
    public async Task Ask_times_out_with_AskTimeoutException()
    {
        var error = await Assert.ThrowsAsync<AskTimeoutException>(() => NewResponder().Ask<string>("silent", TimeSpan.FromMilliseconds(100)));
        Assert.Contains("100 ms", error.Message);
    }

    [Fact]
    public async Task Status_Failure_reply_faults_the_task_with_its_exception()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => NewResponder().Ask<string>("fail"));
        Assert.Equal("no way", error.Message);
    }

    [Fact]
    public async Task Reply_of_the_wrong_type_is_a_clear_error()
    {
        var error = await Assert.ThrowsAsync<InvalidCastException>(() => NewResponder().Ask<string>(5));
        Assert.Contains("String", error.Message);
        Assert.Contains("Int32", error.Message);
    }

    [Fact]
    public async Task Ask_honours_cancellation()
    {
        using var cts = new CancellationTokenSource();
        var pending = NewResponder().Ask<string>("silent", TimeSpan.FromSeconds(30), cts.Token);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
    }

    [Fact]
    public async Task Ask_to_a_stopped_actor_times_out_and_the_message_is_a_dead_letter()
    {
        var deadLetters = CreateTestProbe();
        Sys.EventStream.Subscribe(deadLetters.Ref, typeof(DeadLetter));
        var responder = NewResponder();
        Watch(responder);
        Sys.Stop(responder);
        ExpectTerminated(responder);

        await Assert.ThrowsAsync<AskTimeoutException>(() => responder.Ask<string>("hello", TimeSpan.FromMilliseconds(50)));
        Assert.Equal("hello", deadLetters.ExpectMsg<DeadLetter>().Message);
    }
}
