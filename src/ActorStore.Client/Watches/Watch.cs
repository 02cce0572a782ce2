using Akka.Actor;
using Etcdserverpb;

namespace ActorStore.Client;

/// <summary>Sent to the client actor: opens a watch whose updates go to <paramref name="Subscriber"/>; answered with <see cref="WatchStarted"/>.</summary>
/// <param name="Request">etcd's watch request (key, range end, start revision, filters, prev_kv).</param>
/// <param name="Subscriber">The actor that receives <see cref="WatchUpdate"/> messages.</param>
/// <param name="Credits">How many updates the subscriber may have un-acked at once.</param>
public sealed record Watch(WatchCreateRequest Request, IActorRef Subscriber, int Credits = 64);
