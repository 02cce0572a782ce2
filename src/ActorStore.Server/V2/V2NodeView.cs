namespace ActorStore.Server.V2;

/// <summary>
/// A node as the v2 API shows it (etcd's NodeExtern): a copy taken when the event happened, so later writes do not
/// change it. <see cref="ExpirationNanos"/> is 0 for a permanent node; <see cref="Ttl"/> is the whole seconds left,
/// rounded up, when the copy was taken. <see cref="Nodes"/> is null when the children were not asked for.
/// </summary>
public sealed record V2NodeView(
    string Key,
    string? Value,
    bool Dir,
    long ExpirationNanos,
    long Ttl,
    IReadOnlyList<V2NodeView>? Nodes,
    ulong ModifiedIndex,
    ulong CreatedIndex);
