namespace ActorStore.EndToEnd.Infrastructure;

/// <summary>Which program serves a member: ours, or the real etcd 3.4.23 as the oracle.</summary>
public enum MemberKind
{
    ActorStore,
    Etcd,
}
