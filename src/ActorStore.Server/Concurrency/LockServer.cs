using Akka.Actor;
using V3lockpb;

namespace ActorStore.Server.Concurrency;

/// <summary>
/// etcd's v3lock service on a member, as an actor. A lock named N is held by the oldest key under "N/"; each Lock call
/// becomes a <see cref="LockWaiter"/> child that adds the key "N/&lt;lease hex&gt;" bound to its lease and waits, through a
/// watch, for every older key to go away. The holder's key and its create revision (a fencing token) come back to the
/// caller; Unlock deletes the key, and so does the expiry or revocation of its lease.
/// </summary>
internal sealed class LockServer : ReceiveActor
{
    public LockServer(ConcurrencyClient client)
    {
        Receive<ConcurrencyCall<LockRequest, LockResponse>>(call => Context.ActorOf(LockWaiter.Props(client, call)));
        // Deletes the lock key (whether or not it holds the lock) and answers the delete's header.
        Receive<ConcurrencyCall<UnlockRequest, UnlockResponse>>(call => call.AnswerWhenDone(UnlockAsync(client, call)));
    }

    public static Props Props(ConcurrencyClient client) => ActorFactory.Props(() => new LockServer(client));

    /// <summary>A waiter that fails is not restarted (its wait cannot be resumed): it stops, removing its key.</summary>
    protected override SupervisorStrategy SupervisorStrategy() => Akka.Actor.SupervisorStrategy.StoppingStrategy;

    private static async Task<UnlockResponse> UnlockAsync(ConcurrencyClient client, ConcurrencyCall<UnlockRequest, UnlockResponse> call)
    {
        var deleted = await client.DeleteAsync(call.Request.Key, call.Cancellation).ConfigureAwait(false);
        return new UnlockResponse { Header = deleted.Header };
    }
}
