using ActorStore.Actors;
using Xunit;

namespace ActorStore.Actors.Tests;

public sealed class ReceiveAsyncTests : ActorStore.TestKit.TestKit
{
    private sealed record Overlap;

    private sealed class SlowEcho : ReceiveActor
    {
        private int _inside;

        public SlowEcho()
        {
            ReceiveAsync<int>(async i =>
            {
                if (Interlocked.Increment(ref _inside) != 1)
                {
                    Sender.Tell(new Overlap(), Self);
                }
                var senderBefore = Sender;
                await Task.Delay(i % 3 == 0 ? 3 : 1);
                await Task.Yield();
                // Still on the actor: Sender and Self refer to the message that started the handler.
                Sender.Tell(Sender == senderBefore ? i : -i, Self);
                Interlocked.Decrement(ref _inside);
            });
            Receive<string>(s => Sender.Tell(s, Self));
        }
    }

    private sealed class Flaky : ReceiveActor
    {
        private readonly IActorRef _probe;
        private int _handled;

        public Flaky(IActorRef probe)
        {
            _probe = probe;
            ReceiveAsync<string>(async s =>
            {
                await Task.Yield();
                if (s == "boom")
                {
                    throw new InvalidOperationException("async boom");
                }
                _handled++;
                Sender.Tell($"{s}:{_handled}", Self);
            });
        }

        protected override void PreStart() => _probe.Tell("started");
    }

    [Fact]
    public void Async_handlers_keep_message_order_and_Sender()
    {
        var actor = Sys.ActorOf(Props.Create(() => new SlowEcho()));
        var other = CreateTestProbe();
        for (var i = 1; i <= 20; i++)
        {
            actor.Tell(i, i % 2 == 0 ? TestActor : other.Ref);
        }
        actor.Tell("after", TestActor);

        for (var i = 2; i <= 20; i += 2)
        {
            Assert.Equal(i, ExpectMsg<int>());
        }
        ExpectMsg("after");
        for (var i = 1; i <= 19; i += 2)
        {
            Assert.Equal(i, other.ExpectMsg<int>());
        }
        Assert.Same(actor, LastSender);
    }

    [Fact]
    public void A_fault_after_an_await_goes_to_the_supervisor_and_restarts_the_actor()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Flaky(TestActor)));
        ExpectMsg("started");
        actor.Tell("a", TestActor);
        actor.Tell("boom", TestActor);
        actor.Tell("b", TestActor);

        ExpectMsg("a:1");
        ExpectMsg("started");
        ExpectMsg("b:1");
    }
}
