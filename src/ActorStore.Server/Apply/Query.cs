using Google.Protobuf;

namespace ActorStore.Server.Apply;

/// <summary>
/// A read served by the apply actor, which owns the keyspace and the member list.
/// </summary>
public sealed record Query(Func<ApplyView, IMessage> Read, TaskCompletionSource<IMessage> Completion);
