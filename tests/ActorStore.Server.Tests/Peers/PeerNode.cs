using ActorStore.Server.Peers;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;

namespace ActorStore.Server.Tests.Peers;

/// <summary>
/// A member's peer side alone: an actor system with Akka.Remote on a free loopback port, configured from the akka
/// section of reference.conf, its <see cref="PeerGate"/>, and probes standing in for the Raft, apply and lessor actors.
/// </summary>
internal sealed class PeerNode : IAsyncDisposable
{
    private PeerNode(ActorSystem system, TestKitBase kit, PeerIdentity identity, CapturedLogs logs)
    {
        System = system;
        Identity = identity;
        Logs = logs;
        Raft = kit.CreateTestProbe(system, "raft");
        Apply = kit.CreateTestProbe(system, "apply");
        Lessor = kit.CreateTestProbe(system, "lessor");
        Events = kit.CreateTestProbe(system, "events");
        system.EventStream.Subscribe(Events.Ref, typeof(ActorStore.Raft.Shell.PeerRefused));
        system.ActorOf(Props.Create(() => new PeerGate(identity, Addresses, Raft.Ref, Apply.Ref, Lessor.Ref, logs.CreateLogger("rafthttp"))), PeerGate.Name);
        Address = PeerRefs.HostAndPort(((ExtendedActorSystem)system).Provider.DefaultAddress)!;
    }

    public ActorSystem System { get; }

    public PeerIdentity Identity { get; }

    /// <summary>Where this node heard its peers from.</summary>
    public PeerAddressBook Addresses { get; } = new();

    public CapturedLogs Logs { get; }

    public TestProbe Raft { get; }

    public TestProbe Apply { get; }

    public TestProbe Lessor { get; }

    /// <summary>Sees the <see cref="ActorStore.Raft.Shell.PeerRefused"/> events of this node.</summary>
    public TestProbe Events { get; }

    /// <summary>host:port peers reach this node at.</summary>
    public string Address { get; }

    public static PeerNode Start(TestKitBase kit, ulong clusterId, ulong memberId, string? extraConfig = null)
    {
        var transport = new PeerTransportSettings { ListenHost = "127.0.0.1", ListenPort = 0, AdvertisedHost = "127.0.0.1", AdvertisedPort = 0 };
        var config = transport.ToConfig()
            .WithFallback(ConfigurationFactory.ParseString(extraConfig ?? ""))
            .WithFallback(MemberAkkaConfig.Reference());
        var system = ActorSystem.Create(PeerRefs.SystemName, config);
        return new PeerNode(system, kit, new PeerIdentity(clusterId, memberId), new CapturedLogs());
    }

    /// <summary>A channel from this node's Raft member to <paramref name="peer"/>'s.</summary>
    public RemotePeerChannel ChannelTo(PeerNode peer, int chunkBytes) =>
        new(System, peer.Identity.MemberId, peer.Address, Addresses, Identity, chunkBytes);

    public async ValueTask DisposeAsync() => await System.Terminate().ConfigureAwait(false);
}
