namespace ActorStore.Server.Tls;

/// <summary>Which side of a TLS connection this member is: it accepted it (server) or dialed it (client).</summary>
public enum TlsConnectionRole
{
    Inbound,
    Outbound,
}
