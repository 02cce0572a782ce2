using Google.Protobuf;

namespace ActorStore.Server.Defrag;

/// <summary>
/// Asks the apply actor to defragment between two writes: a snapshot now, so that the Raft member drops the journal
/// before it, and the backend size figure shrunk to what is in use. Answered with a DefragmentResponse.
/// </summary>
public sealed record DefragmentBackend(TaskCompletionSource<IMessage> Completion);
