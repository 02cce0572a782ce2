using Akka.Actor;

namespace ActorStore.Client;

/// <summary>The answer to <see cref="Watch"/>: the watch's handle actor (send it <see cref="WatchAck"/> and <see cref="CancelWatch"/>).</summary>
public sealed record WatchStarted(IActorRef Watch);
