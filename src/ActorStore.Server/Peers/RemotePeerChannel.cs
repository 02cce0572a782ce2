using ActorStore.Raft.Shell;
using Akka.Actor;
using Google.Protobuf;
using Peerpb;
using Raftpb;

namespace ActorStore.Server.Peers;

/// <summary>
/// Sends Raft messages to one peer's <see cref="PeerGate"/> over Akka.Remote, each in an envelope naming this
/// member's cluster, at the address the peer was last heard from (else its listed one). A message larger than a
/// frame (a snapshot) goes in pieces, back to back.
/// </summary>
internal sealed class RemotePeerChannel(
    ActorSystem system, ulong memberId, string listedAddress, PeerAddressBook addresses, PeerIdentity identity, int chunkBytes,
    Prometheus.Counter.Child? sentBytes = null)
    : IPeerChannel
{
    private string? _gateAddress;
    private IActorRef _gate = ActorRefs.Nobody;

    public string Address => addresses.AddressOf(memberId) ?? listedAddress;

    public void Send(Message message, IActorRef sender)
    {
        // Only snapshots and appends carry bulk data; sizing anything else would be wasted work.
        if ((message.Snapshot is not null || message.Entries.Count > 0) && message.CalculateSize() > chunkBytes)
        {
            SendInChunks(message.ToByteArray(), sender);
            return;
        }
        var envelope = new PeerEnvelope { ClusterId = identity.ClusterId, MemberId = identity.MemberId, Raft = message };
        sentBytes?.Inc(envelope.CalculateSize());
        Gate().Tell(envelope, sender);
    }

    /// <summary>The peer's gate, resolved again only when the peer's address changed.</summary>
    private IActorRef Gate()
    {
        var address = Address;
        if (!ReferenceEquals(address, _gateAddress))
        {
            _gate = PeerRefs.Gate(system, address);
            _gateAddress = address;
        }
        return _gate;
    }

    private void SendInChunks(byte[] encoded, IActorRef sender)
    {
        var gate = Gate();
        var transfer = identity.NextTransferId();
        var count = (encoded.Length + chunkBytes - 1) / chunkBytes;
        sentBytes?.Inc(encoded.Length);
        for (var index = 0; index < count; index++)
        {
            var offset = index * chunkBytes;
            gate.Tell(new PeerEnvelope
            {
                ClusterId = identity.ClusterId,
                MemberId = identity.MemberId,
                RaftChunk = new RaftMessageChunk
                {
                    TransferId = transfer,
                    Index = (uint)index,
                    Count = (uint)count,
                    TotalBytes = (ulong)encoded.Length,
                    Data = ByteString.CopyFrom(encoded, offset, Math.Min(chunkBytes, encoded.Length - offset)),
                },
            }, sender);
        }
    }
}
