using Akka.Actor;

namespace ActorStore.Server;

/// <summary>Makes an actor (again, after a restart) by calling a factory.</summary>
internal sealed class DelegateProducer<TActor>(Func<TActor> create) : IIndirectActorProducer where TActor : ActorBase
{
    public Type ActorType => typeof(TActor);

    public ActorBase Produce() => create();

    public void Release(ActorBase actor)
    {
    }
}
