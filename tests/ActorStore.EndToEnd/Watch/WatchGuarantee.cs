namespace ActorStore.EndToEnd.Watch;

/// <summary>The promises etcd's watch API makes, each of which a recorded watch can break.</summary>
public enum WatchGuarantee
{
    /// <summary>Events come in revision order; revisions never go back.</summary>
    Ordered,

    /// <summary>No event comes twice.</summary>
    Unique,

    /// <summary>All the watcher's events of one revision come in one response.</summary>
    Atomic,

    /// <summary>No event between the start and the last revision watched is left out.</summary>
    Reliable,

    /// <summary>A watch started at revision r gets nothing older than r, so resuming at last seen + 1 loses and repeats nothing.</summary>
    Resumable,

    /// <summary>Each event is the write that happened: type, key, value, revisions, version, lease.</summary>
    Accurate,

    /// <summary>prev_kv is the key-value replaced when asked for, and absent otherwise.</summary>
    PrevKv,

    /// <summary>Filtered-out event types never come.</summary>
    Filtered,

    /// <summary>Only keys in the watched range come.</summary>
    InRange,
}
