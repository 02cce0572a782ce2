using Google.Protobuf;

namespace ActorStore.Raft.Shell;

/// <summary>The state machine's contents as of <paramref name="Index"/>, for the member to keep as its Raft snapshot.</summary>
public sealed record StateSnapshotTaken(ulong Index, ByteString Data);
