using Google.Protobuf;

namespace ActorStore.Raft;

/// <summary>
/// A confirmed read index: once the local state machine has applied <see cref="Index"/>,
/// the read identified by <see cref="RequestContext"/> may be served linearizably.
/// </summary>
public sealed record ReadState(ulong Index, ByteString RequestContext);
