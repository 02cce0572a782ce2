using ActorStore.Actors;
using Xunit;

namespace ActorStore.Actors.Tests;

public sealed class TellTests : ActorStore.TestKit.TestKit
{
    private sealed record Numbered(int Producer, int Sequence);

    private sealed record GetReport;

    private sealed record Report(long Count, int OrderViolations);

    private sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(message => Sender.Tell(message, Self));
    }

    private sealed class OrderChecker : ReceiveActor
    {
        private readonly Dictionary<int, int> _lastByProducer = [];
        private long _count;
        private int _violations;

        public OrderChecker()
        {
            Receive<Numbered>(n =>
            {
                _count++;
                var last = _lastByProducer.GetValueOrDefault(n.Producer, -1);
                if (n.Sequence != last + 1)
                {
                    _violations++;
                }
                _lastByProducer[n.Producer] = n.Sequence;
            });
            Receive<GetReport>(_ => Sender.Tell(new Report(_count, _violations), Self));
        }
    }

    [Fact]
    public void Messages_from_one_sender_arrive_in_order()
    {
        var echo = Sys.ActorOf(Props.Create(() => new Echo()), "echo");
        for (var i = 0; i < 500; i++)
        {
            echo.Tell(i, TestActor);
        }
        for (var i = 0; i < 500; i++)
        {
            Assert.Equal(i, ExpectMsg<int>());
        }
        Assert.Same(echo, LastSender);
    }

    [Fact]
    public async Task Eight_concurrent_producers_lose_nothing_and_keep_their_order()
    {
        const int producers = 8;
        const int perProducer = 10_000;
        var checker = Sys.ActorOf(Props.Create(() => new OrderChecker()));
        using var start = new Barrier(producers);
        var threads = Enumerable.Range(0, producers).Select(p => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < perProducer; i++)
            {
                checker.Tell(new Numbered(p, i));
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        var report = await checker.Ask<Report>(new GetReport());

        Assert.Equal(producers * perProducer, report.Count);
        Assert.Equal(0, report.OrderViolations);
    }

    [Fact]
    public void Tell_without_sender_makes_Sender_dead_letters()
    {
        var deadLetters = CreateTestProbe();
        Sys.EventStream.Subscribe(deadLetters.Ref, typeof(DeadLetter));
        var echo = Sys.ActorOf(Props.Create(() => new Echo()));

        echo.Tell("reply goes nowhere");

        var letter = deadLetters.ExpectMsg<DeadLetter>();
        Assert.Equal("reply goes nowhere", letter.Message);
        Assert.Same(Sys.DeadLetters, letter.Recipient);
    }

    [Fact]
    public void Paths_follow_the_hierarchy_and_names_must_be_unique()
    {
        var parent = Sys.ActorOf(Props.Create(() => new Echo()), "a");
        Assert.Equal($"actorstore://{Sys.Name}/user/a", parent.Path.ToString());
        Assert.Equal("a", parent.Path.Name);
        Assert.Throws<InvalidActorNameException>(() => Sys.ActorOf(Props.Create(() => new Echo()), "a"));
        Assert.Throws<InvalidActorNameException>(() => Sys.ActorOf(Props.Create(() => new Echo()), "x/y"));
        Assert.Throws<InvalidActorNameException>(() => Sys.ActorOf(Props.Create(() => new Echo()), "$reserved"));

        var first = Sys.ActorOf(Props.Create(() => new Echo()));
        var second = Sys.ActorOf(Props.Create(() => new Echo()));
        Assert.StartsWith("$", first.Path.Name);
        Assert.NotEqual(first.Path.Name, second.Path.Name);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void ActorPath_round_trips_through_text()
    {
        var path = ActorPath.Parse("actorstore://node1@10.0.0.1:2380/user/raft/member-1");
        Assert.Equal("node1", path.SystemName);
        Assert.Equal("10.0.0.1:2380", path.HostPort);
        Assert.Equal(["user", "raft", "member-1"], path.Elements);
        Assert.Equal("actorstore://node1@10.0.0.1:2380/user/raft/member-1", path.ToString());
        Assert.False(ActorPath.TryParse("http://x/user", out _));
    }
}
