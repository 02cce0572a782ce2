using System.Collections.Concurrent;

namespace ActorStore.Server.Peers;

/// <summary>
/// Where each peer's actor system really is (host:port of its Akka address), learned from the envelopes it sends.
/// Akka.Remote delivers only messages addressed to a system's own address, while etcd's member list may name a peer
/// by another name of the same listener (after a member update, say): messages go where the peer was last heard
/// from, and to its listed peer URL until it has been heard from.
/// </summary>
public sealed class PeerAddressBook
{
    private readonly ConcurrentDictionary<ulong, string> _addresses = new();

    /// <summary>host:port <paramref name="memberId"/> last wrote from; null before it wrote.</summary>
    public string? AddressOf(ulong memberId) => _addresses.TryGetValue(memberId, out var address) ? address : null;

    public void Learn(ulong memberId, string address) => _addresses[memberId] = address;
}
