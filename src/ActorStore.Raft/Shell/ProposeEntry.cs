using Google.Protobuf;

namespace ActorStore.Raft.Shell;

/// <summary>
/// Asks the member to put <paramref name="Data"/> in the log. The answer comes from the apply side once the entry is
/// applied; <paramref name="Completion"/> is only failed here, when the proposal cannot even be accepted.
/// <paramref name="Deadline"/> is when the request that made it gives up (scheduler time): the proposal carries it to
/// the leader, which refuses it once it has passed, so a proposal held up in the network never commits long after its
/// client was told it timed out.
/// </summary>
public sealed record ProposeEntry(ByteString Data, DateTimeOffset Deadline, TaskCompletionSource<IMessage> Completion);
