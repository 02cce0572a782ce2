using Google.Protobuf;

namespace ActorStore.Server.Apply;

/// <summary>
/// The request with id <paramref name="RequestId"/> was proposed by this member: answer <paramref name="Completion"/>
/// when its entry is applied. Sent before the proposal, so it always arrives before the entry does.
/// </summary>
public sealed record AwaitResult(ulong RequestId, TaskCompletionSource<IMessage> Completion);
