using Akka.Actor;
using ActorStore.Mvcc;
using ActorStore.Protocol.Errors;
using ActorStore.Server.Apply;
using ActorStore.Server.Kv;
using ActorStore.Server.Lease;
using ActorStore.Server.Membership;
using ActorStore.Server.Watch;

namespace ActorStore.Server.Tests.Watch;

/// <summary>
/// Stands in for the apply actor without Raft: owns a keyspace, tells the hub what the real one tells it, serves
/// queries, and runs writes the test sends (<see cref="Write"/>, answered with the store's revision).
/// </summary>
internal sealed class FakeApplyActor : ReceiveActor
{
    private readonly IActorRef _hub;
    private MvccStore _store;

    public FakeApplyActor(IActorRef hub, MvccStore store)
    {
        _hub = hub;
        _store = store;
        Receive<Query>(query =>
        {
            try
            {
                query.Completion.TrySetResult(query.Read(new ApplyView(new KvApplier(_store, _ => false), _store, new ClusterMembership(0), new LeaseTable(), 0, 0, new ActorStore.Server.Auth.AuthStore())));
            }
            catch (RpcException e)
            {
                query.Completion.TrySetException(e);
            }
        });
        Receive<Write>(write =>
        {
            write.Change(_store);
            Sender.Tell(_store.CurrentRevision, Self);
        });
        Receive<Replace>(replace =>
        {
            _store = replace.Store;
            Attach();
            Sender.Tell(_store.CurrentRevision, Self);
        });
    }

    protected override void PreStart() => Attach();

    private void Attach()
    {
        _hub.Tell(new StoreReset(_store.CurrentRevision, _store.CompactRevision), Self);
        _store.Committed += changes => _hub.Tell(changes, Self);
    }

    /// <summary>Changes the keyspace on the actor's thread.</summary>
    public sealed record Write(Action<MvccStore> Change);

    /// <summary>Swaps in another keyspace, as an installed snapshot does.</summary>
    public sealed record Replace(MvccStore Store);
}
