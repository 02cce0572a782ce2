using Google.Protobuf;

namespace ActorStore.Server.Apply;

/// <summary>
/// A read served by the apply actor, which owns the keyspace: it sees every write acknowledged before it was sent.
/// </summary>
public sealed record Query(Func<ApplyView, IMessage> Read, TaskCompletionSource<IMessage> Completion);
