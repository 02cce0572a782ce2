using ActorStore.Actors;
using Xunit;

namespace ActorStore.Actors.Tests;

public sealed class SupervisionTests : ActorStore.TestKit.TestKit
{
    private sealed class Counter : ReceiveActor
    {
        private readonly IActorRef _probe;
        private readonly Guid _instance = Guid.NewGuid();
        private int _count;

        public Counter(IActorRef probe)
        {
            _probe = probe;
            Receive<string>(_ => throw new InvalidOperationException("boom"), s => s == "boom");
            Receive<string>(_ => throw new ArgumentException("bad"), s => s == "bad");
            Receive<string>(_ => _count++, s => s == "inc");
            Receive<string>(_ => Sender.Tell(_count, Self), s => s == "get");
            Receive<string>(_ => Sender.Tell(_instance, Self), s => s == "instance");
        }

        protected override void PreStart() => _probe.Tell($"started:{Self.Path.Name}");

        protected override void PostStop() => _probe.Tell($"stopped:{Self.Path.Name}");

        protected override void PreRestart(Exception reason, object? message)
        {
            _probe.Tell($"pre-restart:{Self.Path.Name}:{reason.Message}:{message}");
            base.PreRestart(reason, message);
        }
    }

    /// <summary>Supervises one or two Counter children with the given strategy and forwards messages to them.</summary>
    private sealed class Parent(IActorRef probe, SupervisorStrategy strategy, int children) : ReceiveActor
    {
        public Parent() : this(ActorRefs.Nobody, ActorStore.Actors.SupervisorStrategy.DefaultStrategy, 1)
        {
        }

        protected override void PreStart()
        {
            probe.Tell("parent-started");
            for (var i = 1; i <= children; i++)
            {
                Context.ActorOf(Props.Create(() => new Counter(probe)), $"c{i}");
            }
            Become(() => ReceiveAny(message =>
            {
                var (target, payload) = message is (string name, string text) ? (name, text) : ("c1", (string)message);
                Context.Child(target)!.Tell(payload, Sender);
            }));
        }

        protected override SupervisorStrategy SupervisorStrategy() => strategy;
    }

    private IActorRef ParentWith(SupervisorStrategy strategy, int children = 1)
    {
        var parent = Sys.ActorOf(Props.Create(() => new Parent(TestActor, strategy, children)));
        ExpectMsg("parent-started");
        // Siblings start concurrently, so their order is not fixed.
        var started = Enumerable.Range(0, children).Select(_ => ExpectMsg<string>()).Order();
        Assert.Equal(Enumerable.Range(1, children).Select(i => $"started:c{i}"), started);
        return parent;
    }

    [Fact]
    public void Restart_makes_a_new_instance_resets_state_and_keeps_the_mailbox()
    {
        var counter = Sys.ActorOf(Props.Create(() => new Counter(TestActor)), "counter");
        ExpectMsg("started:counter");
        counter.Tell("instance", TestActor);
        var firstInstance = ExpectMsg<Guid>();

        counter.Tell("inc");
        counter.Tell("boom");
        counter.Tell("inc");
        counter.Tell("inc");
        counter.Tell("get", TestActor);
        counter.Tell("instance", TestActor);

        ExpectMsg("pre-restart:counter:boom:boom");
        ExpectMsg("stopped:counter");
        ExpectMsg("started:counter");
        Assert.Equal(2, ExpectMsg<int>());
        Assert.NotEqual(firstInstance, ExpectMsg<Guid>());
    }

    [Fact]
    public void Resume_keeps_the_instance_and_its_state()
    {
        var parent = ParentWith(new OneForOneStrategy(_ => Directive.Resume));
        parent.Tell("inc");
        parent.Tell("boom");
        parent.Tell("inc");
        parent.Tell("get", TestActor);

        Assert.Equal(2, ExpectMsg<int>());
    }

    [Fact]
    public void Stop_directive_stops_the_child()
    {
        var parent = ParentWith(new OneForOneStrategy(_ => Directive.Stop));
        parent.Tell("boom");

        ExpectMsg("stopped:c1");
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Decider_can_pick_per_exception_type()
    {
        var parent = ParentWith(new OneForOneStrategy(e => e is ArgumentException ? Directive.Resume : Directive.Stop));
        parent.Tell("inc");
        parent.Tell("bad");
        parent.Tell("get", TestActor);
        Assert.Equal(1, ExpectMsg<int>());

        parent.Tell("boom");
        ExpectMsg("stopped:c1");
    }

    [Fact]
    public void Escalate_fails_the_parent_which_its_own_supervisor_restarts()
    {
        var parent = ParentWith(new OneForOneStrategy(_ => Directive.Escalate));
        parent.Tell("boom");

        // The guardian restarts the parent: its default PreRestart stops the child first.
        ExpectMsg("stopped:c1");
        ExpectMsg("parent-started");
        ExpectMsg("started:c1");
        parent.Tell("get", TestActor);
        Assert.Equal(0, ExpectMsg<int>());
    }

    [Fact]
    public void AllForOne_restarts_every_child()
    {
        var parent = ParentWith(new AllForOneStrategy(_ => Directive.Restart), children: 2);
        parent.Tell(("c2", "inc"));
        parent.Tell(("c2", "get"), TestActor);
        Assert.Equal(1, ExpectMsg<int>());
        parent.Tell(("c1", "boom"));

        var events = Enumerable.Range(0, 6).Select(_ => ExpectMsg<string>()).ToList();
        Assert.Contains("pre-restart:c1:boom:boom", events);
        Assert.Contains("pre-restart:c2:boom:", events);
        Assert.Equal(2, events.Count(e => e.StartsWith("started:", StringComparison.Ordinal)));
        parent.Tell(("c2", "get"), TestActor);
        Assert.Equal(0, ExpectMsg<int>());
    }

    [Fact]
    public void Exceeding_the_retry_budget_stops_the_child()
    {
        var parent = ParentWith(new OneForOneStrategy(2, TimeSpan.FromMinutes(1), _ => Directive.Restart));
        for (var i = 0; i < 2; i++)
        {
            parent.Tell("boom");
            ExpectMsg("pre-restart:c1:boom:boom");
            ExpectMsg("stopped:c1");
            ExpectMsg("started:c1");
        }
        parent.Tell("boom");
        ExpectMsg("stopped:c1");
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Kill_stops_the_actor_under_the_default_strategy()
    {
        var counter = Sys.ActorOf(Props.Create(() => new Counter(TestActor)), "victim");
        ExpectMsg("started:victim");
        counter.Tell(Kill.Instance);
        ExpectMsg("stopped:victim");
    }

    [Fact]
    public void Props_strategy_overrides_the_actor_method()
    {
        var props = Props.Create(() => new Parent(TestActor, new OneForOneStrategy(_ => Directive.Restart), 1))
            .WithSupervisorStrategy(new OneForOneStrategy(_ => Directive.Resume));
        var parent = Sys.ActorOf(props);
        ExpectMsg("parent-started");
        ExpectMsg("started:c1");
        parent.Tell("inc");
        parent.Tell("boom");
        parent.Tell("get", TestActor);
        Assert.Equal(1, ExpectMsg<int>());
    }
}
