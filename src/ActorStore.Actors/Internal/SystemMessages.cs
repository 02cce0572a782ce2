namespace ActorStore.Actors;

/// <summary>Lifecycle and supervision signals; they overtake user messages in the mailbox.</summary>
internal abstract record SystemMessage;

internal sealed record CreateActor : SystemMessage
{
    public static CreateActor Instance { get; } = new();
}

internal sealed record TerminateActor : SystemMessage
{
    public static TerminateActor Instance { get; } = new();
}

internal sealed record ResumeActor : SystemMessage
{
    public static ResumeActor Instance { get; } = new();
}

internal sealed record RecreateActor(Exception Cause) : SystemMessage;

internal sealed record ChildFailed(ActorCell Child, Exception Cause) : SystemMessage;

internal sealed record ChildStopped(ActorCell Child) : SystemMessage;

internal sealed record WatchedActorTerminated(IActorRef Actor) : SystemMessage;

internal sealed record RunContinuation(ActorAsyncContext Context, SendOrPostCallback Callback, object? State) : SystemMessage;

internal sealed record TaskCompleted(ActorAsyncContext Context, Task Task) : SystemMessage;

/// <summary>Self-sent user message that checks whether the receive timeout expired.</summary>
internal sealed record ReceiveTimeoutCheck(int Generation);

/// <summary>Self-sent user message carrying a death-watch notification; dropped if the subject was unwatched meanwhile.</summary>
internal sealed record TerminatedDelivery(IActorRef Actor);
