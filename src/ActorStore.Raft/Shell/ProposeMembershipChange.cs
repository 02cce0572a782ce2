using Google.Protobuf;
using Raftpb;

namespace ActorStore.Raft.Shell;

/// <summary>Asks the member to put a membership change in the log; failed here only when it cannot be accepted.</summary>
public sealed record ProposeMembershipChange(ConfChange Change, TaskCompletionSource<IMessage> Completion);
