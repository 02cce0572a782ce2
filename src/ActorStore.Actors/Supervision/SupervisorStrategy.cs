namespace ActorStore.Actors;

/// <summary>
/// Decides what happens to a child whose handler threw. Strategies are immutable and may be shared;
/// the retry bookkeeping lives with each child in its parent.
/// </summary>
public abstract class SupervisorStrategy
{
    protected SupervisorStrategy(int maxNrOfRetries, TimeSpan withinTimeRange, Func<Exception, Directive> decider)
    {
        ArgumentNullException.ThrowIfNull(decider);
        MaxNrOfRetries = maxNrOfRetries;
        WithinTimeRange = withinTimeRange;
        Decider = decider;
    }

    /// <summary>Restarts allowed per child; negative means unlimited, zero means a restart becomes a stop.</summary>
    public int MaxNrOfRetries { get; }

    /// <summary>Window the retry count applies to; zero or infinite means "over the child's whole life".</summary>
    public TimeSpan WithinTimeRange { get; }

    public Func<Exception, Directive> Decider { get; }

    /// <summary>Stop on initialization failures, kills and death pacts; restart on anything else.</summary>
    public static Directive DefaultDecider(Exception cause) => cause switch
    {
        ActorInitializationException or ActorKilledException or DeathPactException => Directive.Stop,
        _ => Directive.Restart,
    };

    /// <summary>One-for-one, unlimited restarts, <see cref="DefaultDecider"/>.</summary>
    public static SupervisorStrategy DefaultStrategy { get; } = new OneForOneStrategy(DefaultDecider);

    /// <summary>One-for-one, every failure stops the child.</summary>
    public static SupervisorStrategy StoppingStrategy { get; } = new OneForOneStrategy(static _ => Directive.Stop);

    /// <summary>True when a decision applies to all siblings rather than just the failed child.</summary>
    internal abstract bool AppliesToAllChildren { get; }

    internal Directive Decide(Exception cause)
    {
        try
        {
            return Decider(cause);
        }
        catch (Exception)
        {
            // A decider that cannot decide hands the problem upwards.
            return Directive.Escalate;
        }
    }

    /// <summary>Counts one more restart for <paramref name="child"/>; false when the budget is spent.</summary>
    internal bool RequestRestartPermission(ChildRecord child, TimeSpan now)
    {
        if (MaxNrOfRetries == 0)
        {
            return false;
        }
        if (MaxNrOfRetries < 0)
        {
            return true;
        }
        child.RetryCount++;
        var hasWindow = WithinTimeRange > TimeSpan.Zero;
        if (!hasWindow)
        {
            return child.RetryCount <= MaxNrOfRetries;
        }
        child.WindowStart ??= now;
        if (now - child.WindowStart.Value <= WithinTimeRange)
        {
            return child.RetryCount <= MaxNrOfRetries;
        }
        // The old window expired: this failure opens a new one.
        child.WindowStart = now;
        child.RetryCount = 1;
        return true;
    }
}
