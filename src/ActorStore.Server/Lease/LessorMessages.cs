using Akka.Actor;

namespace ActorStore.Server.Lease;

/// <summary>The leases the state machine holds, told by the apply actor when it starts and after installing a snapshot.</summary>
public sealed record LeasesReset(IReadOnlyList<(long Id, long Ttl)> Leases);

/// <summary>An applied grant: the lease now exists on every member.</summary>
public sealed record LeaseGranted(long Id, long Ttl);

/// <summary>An applied revocation: the lease and its keys are gone.</summary>
public sealed record LeaseRevoked(long Id);

/// <summary>
/// The apply actor applied the empty entry a leader appends when its term starts: a leader has now applied everything
/// earlier terms committed, so its lessor may take over the leases (etcd promotes its lessor at the same point).
/// </summary>
public sealed record LeaderEntryApplied(ulong Term);

/// <summary>What the lessor needs once the member is up: the apply actor (for attached keys) and how to revoke through the log.</summary>
public sealed record LessorWiring(IActorRef Apply, Func<long, Task> Revoke);

/// <summary>Asks for the lease ids this member's lessor knows, answered with <see cref="LeaseIds"/>.</summary>
public sealed record ListLeases
{
    public static readonly ListLeases Instance = new();
}

public sealed record LeaseIds(IReadOnlyList<long> Ids);

/// <summary>Lease actor instructions from the lessor.</summary>
internal sealed record PromoteLease(TimeSpan Extend);

internal sealed record DemoteLease
{
    public static readonly DemoteLease Instance = new();
}

/// <summary>The lease's revocation was applied: the lease actor answers the keep-alives it held back, then stops.</summary>
internal sealed record LeaseRevocationApplied
{
    public static readonly LeaseRevocationApplied Instance = new();
}

internal sealed record CheckLeaseExpiry
{
    public static readonly CheckLeaseExpiry Instance = new();
}

internal sealed record LeaseExpired(long Id);

/// <summary>A question about a lease the lessor did not know, asked again once the apply actor caught up with the commit index.</summary>
internal sealed record RouteWhenApplied(long Id, object Message, IActorRef Asker);

internal sealed record CheckLeadership
{
    public static readonly CheckLeadership Instance = new();
}
