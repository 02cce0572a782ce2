using Etcdserverpb;
using Google.Protobuf;

namespace ActorStore.Server.Log;

/// <summary>
/// A request on its way into the log. <paramref name="Payload"/> is the request already encoded for the journal
/// (encoded by the caller, off the log actor); <paramref name="Completion"/> is answered once it is applied.
/// </summary>
public sealed record Proposal(
    InternalRaftRequest Request,
    byte[] Payload,
    TaskCompletionSource<IMessage> Completion);
