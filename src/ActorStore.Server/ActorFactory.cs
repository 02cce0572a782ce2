using Akka.Actor;

namespace ActorStore.Server;

/// <summary>
/// Props from a plain factory delegate. Akka's expression-based Props.Create compiles an expression tree per call,
/// which is too slow for actors created per lease or per watcher, and cannot express most closures.
/// </summary>
internal static class ActorFactory
{
    public static Props Props<TActor>(Func<TActor> create) where TActor : ActorBase =>
        Akka.Actor.Props.CreateBy(new DelegateProducer<TActor>(create));
}
