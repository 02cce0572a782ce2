using ActorStore.Actors;
using Xunit;

namespace ActorStore.Actors.Tests;

public sealed class DeathWatchTests : ActorStore.TestKit.TestKit
{
    private sealed class Idle : ReceiveActor
    {
        public Idle() => Receive<string>(s => Sender.Tell(s, Self));
    }

    private sealed class Watcher(IActorRef subject, IActorRef probe, bool handleTerminated) : ReceiveActor
    {
        protected override void PreStart()
        {
            if (handleTerminated)
            {
                Become(() => Receive<Terminated>(t => probe.Tell($"terminated:{t.ActorRef.Path.Name}")));
            }
            Context.Watch(subject);
            probe.Tell("watching");
        }

        protected override void PostStop() => probe.Tell("watcher-stopped");
    }

    [Fact]
    public void Watchers_get_Terminated_when_the_subject_stops()
    {
        var subject = Sys.ActorOf(Props.Create(() => new Idle()), "subject");
        Sys.ActorOf(Props.Create(() => new Watcher(subject, TestActor, true)));
        ExpectMsg("watching");

        Sys.Stop(subject);

        ExpectMsg("terminated:subject");
    }

    [Fact]
    public void Watching_an_actor_that_is_already_dead_yields_Terminated_at_once()
    {
        var subject = Sys.ActorOf(Props.Create(() => new Idle()), "gone");
        Watch(subject);
        Sys.Stop(subject);
        ExpectTerminated(subject);

        Sys.ActorOf(Props.Create(() => new Watcher(subject, TestActor, true)));
        ExpectMsg("watching");
        ExpectMsg("terminated:gone");
    }

    [Fact]
    public void PoisonPill_stops_after_the_messages_queued_before_it()
    {
        var subject = Sys.ActorOf(Props.Create(() => new Idle()));
        Watch(subject);
        subject.Tell("one", TestActor);
        subject.Tell("two", TestActor);
        subject.Tell(PoisonPill.Instance);
        subject.Tell("three", TestActor);

        ExpectMsg("one");
        ExpectMsg("two");
        ExpectTerminated(subject);
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    private sealed class SelfStopper : ReceiveActor
    {
        public SelfStopper()
        {
            Receive<string>(s => s == "stop", _ => Context.Stop(Self));
            Receive<string>(s => Sender.Tell(s, Self));
        }
    }

    [Fact]
    public void Stopping_self_overtakes_queued_user_messages_which_become_dead_letters()
    {
        var deadLetters = CreateTestProbe();
        Sys.EventStream.Subscribe(deadLetters.Ref, typeof(DeadLetter));
        var actor = Sys.ActorOf(Props.Create(() => new SelfStopper()));
        Watch(actor);
        actor.Tell("a", TestActor);
        actor.Tell("stop", TestActor);
        actor.Tell("b", TestActor);
        actor.Tell("c", TestActor);

        ExpectMsg("a");
        ExpectTerminated(actor);
        Assert.Equal("b", deadLetters.ExpectMsg<DeadLetter>().Message);
        Assert.Equal("c", deadLetters.ExpectMsg<DeadLetter>().Message);
    }

    [Fact]
    public void An_unhandled_Terminated_is_a_death_pact_that_stops_the_watcher()
    {
        var subject = Sys.ActorOf(Props.Create(() => new Idle()));
        var watcher = Sys.ActorOf(Props.Create(() => new Watcher(subject, TestActor, false)));
        ExpectMsg("watching");
        Watch(watcher);

        Sys.Stop(subject);

        ExpectMsg("watcher-stopped");
        ExpectTerminated(watcher);
    }

    [Fact]
    public void Unwatch_cancels_the_notification()
    {
        var subject = Sys.ActorOf(Props.Create(() => new Idle()));
        var other = Sys.ActorOf(Props.Create(() => new Idle()));
        Watch(subject);
        Watch(other);
        Unwatch(subject);

        Sys.Stop(subject);
        Sys.Stop(other);

        // Only the still-watched actor is reported.
        ExpectTerminated(other);
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Messages_to_a_stopped_actor_are_published_as_dead_letters()
    {
        var deadLetters = CreateTestProbe();
        Sys.EventStream.Subscribe(deadLetters.Ref, typeof(DeadLetter));
        var subject = Sys.ActorOf(Props.Create(() => new Idle()));
        Watch(subject);
        Sys.Stop(subject);
        ExpectTerminated(subject);

        subject.Tell("too late", TestActor);

        var letter = deadLetters.ExpectMsg<DeadLetter>();
        Assert.Equal("too late", letter.Message);
        Assert.Same(TestActor, letter.Sender);
        Assert.Same(subject, letter.Recipient);
        Assert.True(Sys.DeadLetterCount >= 1);
        Assert.True(Sys.EventStream.Unsubscribe(deadLetters.Ref, typeof(DeadLetter)));
    }
}
