using Akka.Actor;
using Etcdserverpb;

namespace ActorStore.Client;

/// <summary>One of etcd's watch responses (created, events, progress, canceled), in revision order; ack it to <paramref name="Watch"/>.</summary>
public sealed record WatchUpdate(IActorRef Watch, WatchResponse Response);
