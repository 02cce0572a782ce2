using Akka.Actor;
using Raftpb;

namespace ActorStore.Raft.Shell;

/// <summary>
/// The way to one peer's Raft member: the transport behind it addresses, wraps and (for large snapshots) splits the
/// message; delivery is at most once, which Raft tolerates.
/// </summary>
public interface IPeerChannel
{
    void Send(Message message, IActorRef sender);
}
