using Raftpb;

namespace ActorStore.Raft.Shell;

/// <summary>
/// The state machine applied a membership entry. <paramref name="Effective"/> is the change to make in the core (with
/// node id 0 when the state machine refused it); <paramref name="PeerAddresses"/> is the member list's peer addresses.
/// </summary>
public sealed record ConfChangeApplied(ConfChange Effective, IReadOnlyDictionary<ulong, string> PeerAddresses);
