using ActorStore.Raft.Shell;
using ActorStore.Server.Membership;
using ActorStore.Server.Metrics;
using Akka.Actor;
using Microsoft.Extensions.Logging;
using Peerpb;

namespace ActorStore.Server.Peers;

/// <summary>
/// Where other members' messages arrive (the actor named <see cref="Name"/>). It checks each envelope's cluster id as
/// etcd's peers check every request: an envelope from another cluster is refused, logged, and answered with a
/// <see cref="PeerRefusal"/> so the sender logs it too. Accepted payloads go on to the Raft, apply or lessor actor
/// with the original sender, so replies go straight back; pieces of a large Raft message are joined first.
/// </summary>
public sealed class PeerGate : ReceiveActor
{
    public const string Name = "peers";

    /// <summary>A peer that keeps writing from another cluster is refused every time, but logged and told this often.</summary>
    private static readonly TimeSpan RefusalInterval = TimeSpan.FromSeconds(1);

    private readonly PeerIdentity _identity;
    private readonly PeerAddressBook _addresses;
    private readonly Dictionary<ulong, Address> _lastHeardFrom = new();
    private readonly IActorRef _raft;
    private readonly IActorRef _apply;
    private readonly IActorRef _lessor;
    private readonly ILogger _log;
    private readonly Dictionary<Address, DateTimeOffset> _lastRefusals = new();
    private readonly Dictionary<Address, ChunkAssembly> _assemblies = new();
    private readonly MemberMetrics? _metrics;
    private readonly Dictionary<ulong, Prometheus.Counter.Child> _receivedBytesFrom = new();

    /// <param name="metrics">Counts the bytes received from each peer (etcd_network_peer_received_bytes_total).</param>
    public PeerGate(PeerIdentity identity, PeerAddressBook addresses, IActorRef raft, IActorRef apply, IActorRef lessor, ILogger log,
        MemberMetrics? metrics = null)
    {
        _metrics = metrics;
        _identity = identity;
        _addresses = addresses;
        _raft = raft;
        _apply = apply;
        _lessor = lessor;
        _log = log;
        Receive<PeerEnvelope>(OnEnvelope);
        Receive<PeerRefusal>(OnRefusal);
    }

    private void CountReceived(PeerEnvelope envelope)
    {
        if (_metrics is null)
        {
            return;
        }
        if (!_receivedBytesFrom.TryGetValue(envelope.MemberId, out var fromPeer))
        {
            fromPeer = _metrics.PeerReceivedBytes.WithLabels(MemberIdentity.FormatId(envelope.MemberId));
            _receivedBytesFrom[envelope.MemberId] = fromPeer;
        }
        fromPeer.Inc(envelope.CalculateSize());
    }

    private void OnEnvelope(PeerEnvelope envelope)
    {
        if (!_identity.TryAdoptClusterId(envelope.ClusterId))
        {
            Refuse(envelope);
            return;
        }
        LearnAddress(envelope.MemberId);
        CountReceived(envelope);
        switch (envelope.PayloadCase)
        {
            case PeerEnvelope.PayloadOneofCase.Raft:
                _raft.Forward(envelope.Raft);
                break;
            case PeerEnvelope.PayloadOneofCase.RaftChunk:
                OnChunk(envelope.RaftChunk);
                break;
            case PeerEnvelope.PayloadOneofCase.MemberList:
                _apply.Forward(envelope.MemberList);
                break;
            case PeerEnvelope.PayloadOneofCase.RenewLease:
                _lessor.Forward(envelope.RenewLease);
                break;
            case PeerEnvelope.PayloadOneofCase.QueryTimeToLive:
                _lessor.Forward(envelope.QueryTimeToLive);
                break;
            case PeerEnvelope.PayloadOneofCase.HashKv:
                _apply.Forward(envelope.HashKv);
                break;
        }
    }

    /// <summary>Notes where a member writes from; the string is made only when that changes.</summary>
    private void LearnAddress(ulong memberId)
    {
        var from = Sender.Path.Address;
        if (memberId == 0 || (_lastHeardFrom.TryGetValue(memberId, out var last) && last.Equals(from)))
        {
            return;
        }
        if (PeerRefs.HostAndPort(from) is { } address)
        {
            _lastHeardFrom[memberId] = from;
            _addresses.Learn(memberId, address);
        }
    }

    private void Refuse(PeerEnvelope envelope)
    {
        var from = Sender.Path.Address;
        var now = Context.System.Scheduler.Now;
        if (_lastRefusals.TryGetValue(from, out var last) && now - last < RefusalInterval)
        {
            return;
        }
        _lastRefusals[from] = now;
        var peer = PeerRefs.HostAndPort(from) ?? from.ToString();
        _log.LogWarning(
            "request cluster ID mismatch: rejected message from {Peer} (remote-peer-id {RemoteMemberId:x}, remote-peer-cluster-id {RemoteClusterId:x}, local-member-id {LocalMemberId:x}, local-member-cluster-id {LocalClusterId:x})",
            peer, envelope.MemberId, envelope.ClusterId, _identity.MemberId, _identity.ClusterId);
        if (PeerRefs.HostAndPort(from) is { } address)
        {
            PeerRefs.Gate(Context.System, address).Tell(new PeerRefusal
            {
                ClusterId = _identity.ClusterId,
                MemberId = _identity.MemberId,
                Reason = "cluster ID mismatch",
            }, Self);
        }
    }

    private void OnRefusal(PeerRefusal refusal)
    {
        var address = PeerRefs.HostAndPort(Sender.Path.Address);
        if (address is null || refusal.ClusterId == _identity.ClusterId)
        {
            return;
        }
        _log.LogWarning(
            "request sent was ignored by remote peer due to cluster ID mismatch (remote-peer {Address}, remote-peer-id {RemoteMemberId:x}, remote-peer-cluster-id {RemoteClusterId:x}, local-member-id {LocalMemberId:x}, local-member-cluster-id {LocalClusterId:x})",
            address, refusal.MemberId, refusal.ClusterId, _identity.MemberId, _identity.ClusterId);
        Context.System.EventStream.Publish(new PeerRefused(address));
    }

    /// <summary>
    /// Pieces of one transfer come in order over one association; a gap (a lost piece, a restarted sender) drops the
    /// transfer, and Raft asks for the snapshot again.
    /// </summary>
    private void OnChunk(RaftMessageChunk chunk)
    {
        var from = Sender.Path.Address;
        if (chunk.Index == 0)
        {
            if (chunk.TotalBytes > int.MaxValue || chunk.Count == 0)
            {
                _assemblies.Remove(from);
                return;
            }
            _assemblies[from] = new ChunkAssembly(chunk.TransferId, chunk.Count, (int)chunk.TotalBytes);
        }
        if (!_assemblies.TryGetValue(from, out var assembly) || !assembly.TryAdd(chunk))
        {
            _assemblies.Remove(from);
            return;
        }
        if (assembly.IsComplete)
        {
            _assemblies.Remove(from);
            _raft.Forward(Raftpb.Message.Parser.ParseFrom(assembly.Bytes));
        }
    }

    /// <summary>A Raft message being joined from its pieces.</summary>
    private sealed class ChunkAssembly(ulong transferId, uint count, int totalBytes)
    {
        private uint _next;
        private int _length;

        public byte[] Bytes { get; } = new byte[totalBytes];

        public bool IsComplete => _next == count && _length == Bytes.Length;

        public bool TryAdd(RaftMessageChunk chunk)
        {
            if (chunk.TransferId != transferId || chunk.Index != _next || chunk.Count != count
                || chunk.Data.Length > Bytes.Length - _length)
            {
                return false;
            }
            chunk.Data.Span.CopyTo(Bytes.AsSpan(_length));
            _length += chunk.Data.Length;
            _next++;
            return true;
        }
    }
}
