namespace ActorStore.Server.Watch;

/// <summary>
/// Told by the apply actor to the watch hub when it starts and whenever an installed snapshot replaces the keyspace:
/// change sets told afterwards follow <paramref name="CurrentRevision"/>; anything a watcher expected in between
/// must come from history.
/// </summary>
public sealed record StoreReset(long CurrentRevision, long CompactRevision);
