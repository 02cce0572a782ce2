using Google.Protobuf;
using Raftpb;

namespace ActorStore.Raft.Shell;

/// <summary>
/// Asks the member to put a membership change in the log; failed here only when it cannot be accepted. Like
/// <see cref="ProposeEntry"/>, it carries its request's deadline to the leader.
/// </summary>
public sealed record ProposeMembershipChange(ConfChange Change, DateTimeOffset Deadline, TaskCompletionSource<IMessage> Completion);
