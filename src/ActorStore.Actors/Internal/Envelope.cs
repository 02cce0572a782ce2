namespace ActorStore.Actors;

/// <summary>A mailbox slot. A struct, so queuing a message allocates nothing beyond the queue's own segments.</summary>
internal readonly record struct Envelope(object Message, IActorRef? Sender);
