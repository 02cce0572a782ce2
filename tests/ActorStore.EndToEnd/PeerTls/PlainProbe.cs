namespace ActorStore.EndToEnd.PeerTls;

/// <summary>What a plain (non-TLS) HTTP request to a peer port got: from which local address, the bytes, and whether the server hung up.</summary>
public sealed record PlainProbe(string LocalAddress, byte[] Reply, bool ClosedByServer)
{
    public bool GotHttpAnswer => Reply.Length >= 5 && System.Text.Encoding.ASCII.GetString(Reply, 0, 5) == "HTTP/";
}
