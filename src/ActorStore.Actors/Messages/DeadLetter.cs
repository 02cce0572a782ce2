namespace ActorStore.Actors;

/// <summary>
/// A message that could not be delivered (recipient stopped) or was not handled.
/// Published on <see cref="ActorSystem.EventStream"/>.
/// </summary>
public sealed record DeadLetter(object Message, IActorRef? Sender, IActorRef Recipient);
