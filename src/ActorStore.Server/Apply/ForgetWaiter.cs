namespace ActorStore.Server.Apply;

/// <summary>The request gave up (timeout, cancellation, dropped proposal): stop holding its waiter.</summary>
public sealed record ForgetWaiter(ulong RequestId);
