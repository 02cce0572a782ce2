using ActorStore.Client;
using ActorStore.Client.Sessions;
using Akka.Actor;

namespace ActorStore.Tests.Client;

/// <summary>A TestKit whose client actor reaches fake members by their probes' local paths.</summary>
public abstract class ClientTestKit : Akka.TestKit.Xunit2.TestKit
{
    internal IActorRef StartClient(ActorStoreClientOptions options, params FakeMember[] members)
    {
        var entries = new Dictionary<string, ActorPath>();
        foreach (var (member, index) in members.Select((member, index) => (member, index)))
        {
            var name = "member-" + index;
            options.Members.Add(name);
            entries[name] = member.Entry.Ref.Path;
        }
        return Sys.ActorOf(ClientActor.Props(options, name => entries[name]));
    }

    internal static ActorStoreClientOptions Options(TimeSpan? requestTimeout = null) =>
        new() { RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(30), ClientName = "tests" };
}
