namespace ActorStore.Discovery;

/// <summary>
/// What one SRV service gave: members as etcd writes them in an initial cluster ("name=scheme://host:port"), and the
/// error when it gave none (or, as etcd, the last error among its targets).
/// </summary>
internal sealed record SrvLookup(IReadOnlyList<string> Members, string? Error);
