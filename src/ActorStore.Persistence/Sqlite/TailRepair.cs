namespace ActorStore.Persistence.Sqlite;

/// <summary>What the writer found when asked to drop a corrupt tail seen during a replay.</summary>
internal enum TailRepair
{
    /// <summary>The corrupt entry and everything after it were removed.</summary>
    Truncated,

    /// <summary>Intact entries follow the corrupt one: it cannot be dropped.</summary>
    CorruptInMiddle,

    /// <summary>The entry was rewritten or removed since the replay read it; replay again.</summary>
    Changed,
}
