using Akka.Actor;

namespace ActorStore.Server.Peers;

/// <summary>Refs to the <see cref="PeerGate"/> of other members, by the host:port of their peer URL.</summary>
public static class PeerRefs
{
    /// <summary>The name every member's actor system has: Akka addresses include it.</summary>
    public const string SystemName = "actorstore";

    /// <summary>The gate of the member whose peers reach it at <paramref name="hostAndPort"/>; no connection is made yet.</summary>
    public static IActorRef Gate(ActorSystem system, string hostAndPort)
    {
        ArgumentNullException.ThrowIfNull(system);
        var url = new Uri("tcp://" + hostAndPort);
        // Peers speak what this member speaks: TLS (akka.ssl.tcp) under https:// peer URLs, plain TCP under http://.
        var protocol = ((ExtendedActorSystem)system).Provider.DefaultAddress.Protocol;
        var address = new Address(protocol, system.Name, PeerTransportSettings.HostOf(url), url.Port);
        return ((ExtendedActorSystem)system).Provider.ResolveActorRef(new RootActorPath(address) / "user" / PeerGate.Name);
    }

    /// <summary>host:port of an Akka address, as member lists write it; null for a local address.</summary>
    public static string? HostAndPort(Address address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.Host is not { } host || address.Port is not { } port)
        {
            return null;
        }
        return host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{port}" : $"{host}:{port}";
    }
}
