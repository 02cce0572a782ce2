using ActorStore.Mvcc;
using ActorStore.Server.Auth;
using ActorStore.Server.Kv;
using ActorStore.Server.Lease;
using ActorStore.Server.Membership;
using ActorStore.Server.V2;

namespace ActorStore.Server.Apply;

/// <summary>What a query may look at, lent for the duration of one query on the apply actor.</summary>
public sealed record ApplyView(KvApplier Kv, MvccStore Store, ClusterMembership Membership, LeaseTable Leases, ulong AppliedIndex, ulong RaftTerm, AuthStore Auth, V2Store? V2 = null);
