namespace ActorStore.Server.Peers;

/// <summary>Which side of a peer TLS connection this member is: it accepted it (server) or dialed it (client).</summary>
public enum PeerConnectionRole
{
    Inbound,
    Outbound,
}
