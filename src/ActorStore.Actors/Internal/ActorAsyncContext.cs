namespace ActorStore.Actors;

/// <summary>
/// Installed while an actor's async handler runs, so its awaits continue inside the actor's mailbox run
/// (one at a time, with the message and sender of the handler that started them).
/// </summary>
internal sealed class ActorAsyncContext(ActorCell cell, Envelope envelope, int incarnation) : SynchronizationContext
{
    public Envelope Envelope { get; } = envelope;

    public int Incarnation { get; } = incarnation;

    public override void Post(SendOrPostCallback d, object? state) => cell.SendSystemMessage(new RunContinuation(this, d, state));

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("Synchronous Send into an actor would deadlock; use Post.");

    public override SynchronizationContext CreateCopy() => this;
}
