namespace ActorStore.Raft.Shell;

/// <summary>
/// Published on the event stream when the member at <paramref name="Address"/> (host:port) refused this member's
/// messages (another cluster): for Raft the link is as good as down, like one that cannot be opened.
/// </summary>
public sealed record PeerRefused(string Address);
