namespace ActorStore.Actors;

/// <summary>
/// Immutable recipe for an actor: how to make a new instance (again on every restart) plus optional settings.
/// Usage: <c>Props.Create(() => new MyActor(x))</c>.
/// </summary>
public sealed class Props
{
    private readonly Func<ActorBase> _factory;

    private Props(Type actorType, Func<ActorBase> factory, SupervisorStrategy? supervisorStrategy, int? mailboxThroughput)
    {
        ActorType = actorType;
        _factory = factory;
        SupervisorStrategy = supervisorStrategy;
        MailboxThroughput = mailboxThroughput;
    }

    public Type ActorType { get; }

    /// <summary>Strategy the created actor applies to its children; overrides its SupervisorStrategy() method.</summary>
    public SupervisorStrategy? SupervisorStrategy { get; }

    /// <summary>Messages handled per scheduling before yielding the thread; null uses the system default.</summary>
    public int? MailboxThroughput { get; }

    /// <summary>The factory is called for the first instance and again for every restart; it must return a new object each time.</summary>
    public static Props Create<TActor>(Func<TActor> factory) where TActor : ActorBase
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new Props(typeof(TActor), factory, null, null);
    }

    public static Props Create<TActor>() where TActor : ActorBase, new() =>
        new(typeof(TActor), static () => new TActor(), null, null);

    public Props WithSupervisorStrategy(SupervisorStrategy strategy)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        return new Props(ActorType, _factory, strategy, MailboxThroughput);
    }

    public Props WithMailboxThroughput(int throughput)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(throughput, 1);
        return new Props(ActorType, _factory, SupervisorStrategy, throughput);
    }

    internal ActorBase NewActor() =>
        _factory() ?? throw new InvalidOperationException($"The Props factory for {ActorType.Name} returned null.");

    public override string ToString() => $"Props({ActorType.Name})";
}
