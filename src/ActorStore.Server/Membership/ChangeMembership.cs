using Google.Protobuf;

namespace ActorStore.Server.Membership;

/// <summary>
/// A membership change for the <see cref="MembershipActor"/>: <paramref name="Request"/> is etcd's MemberAddRequest,
/// MemberRemoveRequest, MemberUpdateRequest or MemberPromoteRequest, and <paramref name="Completion"/> receives its
/// response (or etcd's error).
/// </summary>
public sealed record ChangeMembership(IMessage Request, CancellationToken Cancellation, TaskCompletionSource<IMessage> Completion);
