namespace ActorStore.Server.Peers;

/// <summary>Where each member's peers reach it (host:port), as the apply actor last saw the member list.</summary>
internal sealed class PeerDirectory(IReadOnlyDictionary<ulong, string> initial)
{
    private IReadOnlyDictionary<ulong, string> _addresses = initial;

    public IReadOnlyDictionary<ulong, string> Addresses => Volatile.Read(ref _addresses);

    public void Publish(IReadOnlyDictionary<ulong, string> addresses) => Volatile.Write(ref _addresses, addresses);
}
