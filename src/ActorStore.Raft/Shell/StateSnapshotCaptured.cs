namespace ActorStore.Raft.Shell;

/// <summary>
/// The state machine captured itself at <paramref name="Index"/> and is encoding it; sent before any later membership
/// change is applied, so the member can keep the configuration of that index for the <see cref="StateSnapshotTaken"/>
/// that follows (as etcd keeps the confState of the applied index when it triggers a snapshot).
/// </summary>
public sealed record StateSnapshotCaptured(ulong Index);
