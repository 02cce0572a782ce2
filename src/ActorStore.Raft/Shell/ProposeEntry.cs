using Google.Protobuf;

namespace ActorStore.Raft.Shell;

/// <summary>
/// Asks the member to put <paramref name="Data"/> in the log. The answer comes from the apply side once the entry is
/// applied; <paramref name="Completion"/> is only failed here, when the proposal cannot even be accepted.
/// </summary>
public sealed record ProposeEntry(ByteString Data, TaskCompletionSource<IMessage> Completion);
