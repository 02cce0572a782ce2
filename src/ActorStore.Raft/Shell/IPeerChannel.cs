using Akka.Actor;
using Raftpb;

namespace ActorStore.Raft.Shell;

/// <summary>
/// The way to one peer's Raft member: the transport behind it addresses, wraps and (for large snapshots) splits the
/// message; delivery is at most once, which Raft tolerates.
/// </summary>
public interface IPeerChannel
{
    /// <summary>host:port the peer is reached at now, as the transport's connection events name it.</summary>
    string Address { get; }

    void Send(Message message, IActorRef sender);
}
