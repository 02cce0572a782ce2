using ActorStore.Actors;

namespace ActorStore.TestKit;

/// <summary>A message a probe received, with the sender it came from (dead letters when there was none).</summary>
public sealed record ReceivedMessage(object Message, IActorRef Sender);
