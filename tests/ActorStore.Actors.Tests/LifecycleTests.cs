using System.Collections.Concurrent;
using ActorStore.Actors;
using Xunit;

namespace ActorStore.Actors.Tests;

public sealed class LifecycleTests : ActorStore.TestKit.TestKit
{
    /// <summary>Builds a chain of <paramref name="depth"/> descendants and reports its lifecycle to a probe.</summary>
    private sealed class Node(string label, int depth, IActorRef probe) : ReceiveActor
    {
        protected override void PreStart()
        {
            probe.Tell($"start:{label}");
            if (depth > 0)
            {
                Context.ActorOf(Props.Create(() => new Node(label + "+", depth - 1, probe)), "child");
            }
        }

        protected override void PostStop() => probe.Tell($"stop:{label}");
    }

    private sealed class Recorder(ConcurrentQueue<string> log, string label) : ReceiveActor
    {
        protected override void PreStart()
        {
            if (label.Length < 3)
            {
                Context.ActorOf(Props.Create(() => new Recorder(log, label + label[0])));
            }
        }

        protected override void PostStop() => log.Enqueue(label);
    }

    [Fact]
    public void PreStart_runs_parent_first_and_PostStop_children_first()
    {
        var root = Sys.ActorOf(Props.Create(() => new Node("n", 2, TestActor)), "root");
        ExpectMsg("start:n");
        ExpectMsg("start:n+");
        ExpectMsg("start:n++");
        Watch(root);

        Sys.Stop(root);

        ExpectMsg("stop:n++");
        ExpectMsg("stop:n+");
        ExpectMsg("stop:n");
        ExpectTerminated(root);
    }

    private sealed class Family : ReceiveActor
    {
        private readonly bool _hasKids;

        public Family(bool hasKids = true)
        {
            _hasKids = hasKids;
            Receive<string>(s => s == "describe", _ =>
            {
                var names = string.Join(",", Context.Children.Select(c => c.Path.Name).Order());
                var found = Context.Child("kid1") is not null && Context.Child("nope") is null;
                Sender.Tell($"{Context.Parent.Path.Name}|{names}|{found}|{Context.System.Name}", Self);
            });
        }

        protected override void PreStart()
        {
            if (_hasKids)
            {
                Context.ActorOf(Props.Create(() => new Family(false)), "kid1");
                Context.ActorOf(Props.Create(() => new Family(false)), "kid2");
            }
        }
    }

    [Fact]
    public void Context_exposes_parent_children_and_lookup_by_name()
    {
        var top = Sys.ActorOf(Props.Create(() => new Family()), "top");
        top.Tell("describe", TestActor);
        ExpectMsg($"user|kid1,kid2|True|{Sys.Name}");
    }

    [Fact]
    public async Task Terminate_stops_every_actor_children_first_then_completes()
    {
        var log = new ConcurrentQueue<string>();
        var system = ActorSystem.Create("orderly");
        system.ActorOf(Props.Create(() => new Recorder(log, "a")));
        system.ActorOf(Props.Create(() => new Recorder(log, "b")));

        await system.Terminate().WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(system.WhenTerminated.IsCompletedSuccessfully);
        var order = log.ToList();
        Assert.Equal(6, order.Count);
        foreach (var family in new[] { "a", "b" })
        {
            var stops = order.Where(s => s[0] == family[0]).ToList();
            Assert.Equal([family + family + family, family + family, family], stops);
        }
        var afterwards = system.ActorOf(Props.Create(() => new Recorder(log, "zzz")));
        afterwards.Tell("ignored");
        Assert.Equal(6, log.Count);
    }

    [Fact]
    public async Task Terminate_is_idempotent_and_DisposeAsync_terminates()
    {
        var system = ActorSystem.Create("twice");
        var first = system.Terminate();
        var second = system.Terminate();
        await system.DisposeAsync();
        await first.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Same(first, second);
    }

    [Fact]
    public void Context_is_not_available_in_the_constructor()
    {
        var actor = Sys.ActorOf(Props.Create(() => new UsesContextInConstructor()));
        Watch(actor);
        // Construction fails -> ActorInitializationException -> the default strategy stops it.
        ExpectTerminated(actor);
    }

    private sealed class UsesContextInConstructor : ReceiveActor
    {
        public UsesContextInConstructor() => Context.ActorOf(Props.Create(() => new Node("x", 0, ActorRefs.Nobody)));
    }
}
