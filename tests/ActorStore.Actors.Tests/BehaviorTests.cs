using ActorStore.Actors;
using Xunit;

namespace ActorStore.Actors.Tests;

public sealed class BehaviorTests : ActorStore.TestKit.TestKit
{
    private sealed class Switch : ReceiveActor
    {
        public Switch() => Off();

        private void Off()
        {
            Receive<string>(_ => Become(On), s => s == "toggle");
            Receive<string>(_ => BecomeStacked(Nested), s => s == "push");
            Receive<string>(s => Sender.Tell("off:" + s, Self));
        }

        private void On()
        {
            Receive<string>(_ => Become(Off), s => s == "toggle");
            Receive<string>(s => Sender.Tell("on:" + s, Self));
        }

        private void Nested()
        {
            Receive<string>(_ => UnbecomeStacked(), s => s == "pop");
            Receive<string>(s => Sender.Tell("nested:" + s, Self));
        }
    }

    private sealed class Picky : ReceiveActor
    {
        public Picky()
        {
            Receive<int>(i => i > 10 && Reply("big"));
            Receive<int>(_ => Reply("small"));
        }

        private bool Reply(string text)
        {
            Sender.Tell(text, Self);
            return true;
        }
    }

    [Fact]
    public void Become_replaces_the_behavior()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Switch()));
        actor.Tell("a", TestActor);
        actor.Tell("toggle", TestActor);
        actor.Tell("b", TestActor);
        actor.Tell("toggle", TestActor);
        actor.Tell("c", TestActor);

        ExpectMsg("off:a");
        ExpectMsg("on:b");
        ExpectMsg("off:c");
    }

    [Fact]
    public void BecomeStacked_and_UnbecomeStacked_return_to_the_previous_behavior()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Switch()));
        actor.Tell("push", TestActor);
        actor.Tell("x", TestActor);
        actor.Tell("pop", TestActor);
        actor.Tell("y", TestActor);

        ExpectMsg("nested:x");
        ExpectMsg("off:y");
    }

    [Fact]
    public void A_Func_handler_returning_false_passes_the_message_on()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Picky()));
        actor.Tell(50, TestActor);
        actor.Tell(5, TestActor);

        ExpectMsg("big");
        ExpectMsg("small");
    }

    [Fact]
    public void Unhandled_messages_become_dead_letters()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        var actor = Sys.ActorOf(Props.Create(() => new Picky()));

        actor.Tell(3.14);

        var letter = ExpectMsg<DeadLetter>();
        Assert.Equal(3.14, letter.Message);
        Assert.Same(actor, letter.Recipient);
    }
}
